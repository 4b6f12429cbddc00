import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { authenticate, type AuthedRequest } from './auth.guard.js';

const BY_TOKEN = 'token ';
const BY_ADDRESS = 'address ';

/**
 * The rate limit on HTTP (config RATE_LIMIT_PER_MINUTE): one budget per token subject across every route, per client
 * address for a request without a valid token. It runs before the AuthGuard, so a request with a bad token spends
 * its address's budget (and gets 429 once that is spent): guessing tokens is limited too. Sockets are limited by
 * their rooms, not here.
 */
@Injectable()
export class HttpThrottlerGuard extends ThrottlerGuard {
  @Inject(APP_CONFIG) private readonly config!: AppConfig;

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  // The prefixes keep a token whose subject looks like an address from sharing that address's budget.
  protected override async getTracker(request: AuthedRequest): Promise<string> {
    try {
      const principal = authenticate(request, this.config);
      if (principal) return `${BY_TOKEN}${principal.sub}`;
    } catch {
      // A bad token: the AuthGuard answers 401; here it counts against the address it came from.
    }
    return `${BY_ADDRESS}${normalizeIp(String(request.ip ?? ''))}`;
  }

  // The default key includes the controller and handler, which gave each route its own budget.
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `${throttler}:${tracker}`;
  }
}

/** The 429's message: whose budget is spent, how large it is and when to try again (Retry-After says so too). */
export function rateLimitMessage(_context: ExecutionContext, detail: ThrottlerLimitDetail): string {
  const whose = detail.tracker.startsWith(BY_TOKEN) ? 'for this token' : 'from this address';
  return `Too many requests ${whose}: at most ${detail.limit} a minute; try again in ${detail.timeToBlockExpire} s`;
}
