// Slow clients: a connection trickling its headers or body a byte at a time must not be held open for long. Node
// enforces one deadline per server (requestTimeout, the whole request), so it is set to the uploads' allowance and
// every other request gets the shorter one here.
import type { Server } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The routes that take files (registers, up to 50 MB; GIAS, up to 200 MB; their controllers' paths). */
export const UPLOAD_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/v1/submissions',
  'POST /api/v1/reference/schools',
]);

/** REQUEST_TIMEOUT_SECONDS, UPLOAD_TIMEOUT_SECONDS and KEEP_ALIVE_SECONDS, as the config reads them. */
interface Timeouts {
  requestTimeoutSeconds: number;
  uploadTimeoutSeconds: number;
  keepAliveSeconds: number;
}

/** Node's own deadlines (408, then the connection is closed); set before the server listens. */
export function applyServerTimeouts(server: Server, config: Timeouts): void {
  server.headersTimeout = config.requestTimeoutSeconds * 1000;
  server.requestTimeout = config.uploadTimeoutSeconds * 1000;
  server.keepAliveTimeout = config.keepAliveSeconds * 1000;
  // Node looks for connections past their deadline every 30 s by default, which would let a 30 s deadline run to
  // nearly a minute. It reads this when it starts listening (a createServer option, untyped as a property).
  const checking = Math.min(5_000, (config.requestTimeoutSeconds * 1000) / 4);
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = checking;
}

/** Every request but an upload: its body must have arrived REQUEST_TIMEOUT_SECONDS after its headers, else 408. */
export function bodyDeadline(config: Timeouts): RequestHandler {
  const seconds = config.requestTimeoutSeconds;
  return (request: Request, response: Response, next: NextFunction) => {
    // As the router matches: any case, a trailing slash or not.
    const route = `${request.method} ${request.path.toLowerCase().replace(/\/+$/, '')}`;
    if (request.complete || UPLOAD_ROUTES.has(route)) return next();
    const timer = setTimeout(() => {
      if (request.complete) return;
      const close = () => request.socket.destroy();
      if (response.headersSent) return close();
      const message = `The request's body did not arrive within ${seconds} s: send it at once`;
      response.writeHead(408, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify({ statusCode: 408, message }), close);
    }, seconds * 1000);
    // Cleared once the body is in. A body nobody reads (a GET's) is read to its end by Node after the answer, so an
    // answer alone does not clear it.
    request.once('end', () => clearTimeout(timer));
    response.once('close', () => request.complete && clearTimeout(timer));
    next();
  };
}
