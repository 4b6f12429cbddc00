// Bull Board (the roll-up queue's jobs, retries and failures) at /admin/queues, for admins only. A browser cannot send
// a bearer header when it opens a page, so POST /api/v1/auth/admin-session turns an admin's token into an HttpOnly
// cookie scoped to /admin; the board accepts either.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Queue } from 'bullmq';
import { InvalidToken, verifyToken, type TokenRules } from './principal.js';

export const BOARD_PATH = '/admin/queues';
export const SESSION_COOKIE = 'admin_session';

export function queueBoard(queue: Queue, rules: TokenRules): RequestHandler[] {
  const adapter = new ExpressAdapter().setBasePath(BOARD_PATH);
  createBullBoard({ queues: [new BullMQAdapter(queue)], serverAdapter: adapter });
  const adminOnly = (request: Request, response: Response, next: NextFunction) => {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? cookie(request, SESSION_COOKIE);
    if (!token)
      return void response
        .status(401)
        .type('text')
        .send('Sign in as an administrator: POST /api/v1/auth/admin-session with your token, then open this page');
    try {
      if (verifyToken(token, rules).role !== 'admin') {
        return void response.status(403).type('text').send('The queue board is for administrators only');
      }
    } catch (error) {
      return void response
        .status(401)
        .type('text')
        .send(error instanceof InvalidToken ? error.message : 'The token is not valid');
    }
    next();
  };
  return [adminOnly, adapter.getRouter() as RequestHandler];
}

function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
