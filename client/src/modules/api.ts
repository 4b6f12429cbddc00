// The one way the client talks to the server's HTTP API: same origin, bearer token from the session store. Each call
// names an endpoint of the contract (server/src/contract/routes.ts) by its path, and its parameters and answer are
// typed by it: a misspelt parameter or endpoint fails the type check.
import type { BodyOf, PathOf, RequestOf, ResponseOf } from '@contract/routes.ts';
import { useSessionStore } from '../stores/session.ts';
import { saveFile } from './csv.ts';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The parameters, optional where the endpoint needs none. */
type ParamsArg<Request> = Record<never, never> extends Request ? [params?: Request] : [params: Request];

/** The path with its :parameters filled in, and the other parameters as its query string. */
function urlOf(path: string, params: unknown = {}): string {
  const query = new URLSearchParams();
  const rest: Record<string, unknown> = { ...(params as object) };
  const filled = path.replace(/:(\w+)/g, (_, name: string) => {
    const value = rest[name];
    delete rest[name];
    return encodeURIComponent(String(value));
  });
  for (const [name, value] of Object.entries(rest))
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  return query.size ? `${filled}?${query}` : filled;
}

export async function apiGet<P extends PathOf<'GET'>>(
  path: P,
  ...[params]: ParamsArg<RequestOf<'GET', P>>
): Promise<ResponseOf<'GET', P>> {
  return request(urlOf(path, params), { method: 'GET' });
}

/** Downloads a file the API makes (a CSV export) with the viewer's token, as `filename`. */
export async function apiDownload<P extends PathOf<'GET'>>(
  path: P,
  params: RequestOf<'GET', P>,
  filename: string,
): Promise<void> {
  const token = useSessionStore().token;
  const response = await fetch(urlOf(path, params), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new ApiError(await messageOf(response), response.status);
  saveFile(await response.blob(), filename);
}

export async function apiPost<P extends PathOf<'POST'>>(
  path: P,
  body: BodyOf<'POST', P>,
): Promise<ResponseOf<'POST', P>> {
  return request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
}

export async function apiPut<P extends PathOf<'PUT'>>(
  path: P,
  params: RequestOf<'PUT', P>,
  body: BodyOf<'PUT', P>,
): Promise<ResponseOf<'PUT', P>> {
  return request(urlOf(path, params), {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  });
}

/** A refusal (401, 403) is an answer about this viewer: the same question is not asked again until the viewer changes. */
const refusals = new Map<string, ApiError>();
let refusalsOf: string | undefined;

export function isRefusal(e: unknown): e is ApiError {
  return e instanceof ApiError && (e.status === 401 || e.status === 403);
}

async function request<T>(url: string, init: RequestInit): Promise<T> {
  const token = useSessionStore().token;
  if (token !== refusalsOf) {
    refusals.clear();
    refusalsOf = token;
  }
  const key = `${init.method} ${url}`;
  const refused = refusals.get(key);
  if (refused) throw refused;
  try {
    return await send<T>(url, init, token);
  } catch (e) {
    if (isRefusal(e) && init.method === 'GET') refusals.set(key, e);
    throw e;
  }
}

async function send<T>(url: string, init: RequestInit, token: string | undefined): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers });
  } catch {
    throw new ApiError('The server could not be reached. Check your connection and try again.', 0);
  }
  if (!response.ok) throw new ApiError(await messageOf(response), response.status);
  return (await response.json()) as T;
}

/** The server answers errors as `{ message }` (NestJS: a string or a list of strings). */
async function messageOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    if (Array.isArray(body.message)) return body.message.join('; ');
    if (typeof body.message === 'string' && body.message) return body.message;
  } catch {
    // Not JSON: fall through to the status line.
  }
  return `The server answered ${response.status} ${response.statusText || 'error'}. Try again in a moment.`;
}
