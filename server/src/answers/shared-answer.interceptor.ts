import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, tap, type Observable } from 'rxjs';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { KEEPS, SHARED } from '../common/shared-answers.js';
import { AnswerCache, type DaySpan } from './answer-cache.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateOf = (value: unknown) => (typeof value === 'string' && DATE.test(value) ? value : undefined);

/** The days a question reads: its `from`-`to` or `date`; open-ended where it has none (a default, a term). */
export function daySpan(query: Record<string, unknown>): DaySpan {
  if (query.term !== undefined) return {};
  const date = dateOf(query.date);
  if (date) return { from: date, to: date };
  return { from: dateOf(query.from), to: dateOf(query.to) };
}

/** A question as a key: the route and its parameters and query in a fixed order. */
export function questionOf(request: AuthedRequest): string {
  const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
  const sorted = (o: Record<string, unknown>) => Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([route, sorted(request.params), sorted(request.query as Record<string, unknown>)]);
}

@Injectable()
export class SharedAnswerInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly answers: AnswerCache,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    if (request.method !== 'GET') {
      if (this.reflector.getAllAndOverride<boolean>(KEEPS, targets)) return next.handle();
      return next.handle().pipe(tap({ complete: () => this.answers.changedAll() }));
    }
    if (!this.reflector.getAllAndOverride<boolean>(SHARED, targets)) return next.handle();
    // The guards have run: the principal is the request's, and a viewer refused the route never gets here. The answer
    // is kept as the JSON it is sent as: written once however many viewers it is sent to.
    const json = this.answers.answer(
      questionOf(request),
      request.principal,
      daySpan(request.query as Record<string, unknown>),
      () =>
        new Promise<string>((resolve, reject) => {
          next.handle().subscribe({ next: (answer) => resolve(JSON.stringify(answer)), error: reject });
        }),
    );
    const response = context.switchToHttp().getResponse<Response>();
    return from(
      json.then((body) => {
        response.type('application/json; charset=utf-8');
        return body;
      }),
    );
  }
}
