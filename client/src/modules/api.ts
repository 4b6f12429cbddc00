// The one way the client talks to the server's HTTP API: same origin, bearer token from the session store.
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

type Params = Record<string, string | number | null | undefined>;

function searchOf(params: Params): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  return query.size ? `?${query}` : '';
}

export async function apiGet<T>(path: string, params: Params = {}): Promise<T> {
  return request<T>(`${path}${searchOf(params)}`, { method: 'GET' });
}

/** Downloads a file the API makes (a CSV export) with the viewer's token, as `filename`. */
export async function apiDownload(path: string, params: Params, filename: string): Promise<void> {
  const token = useSessionStore().token;
  const response = await fetch(`${path}${searchOf(params)}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new ApiError(await messageOf(response), response.status);
  saveFile(await response.blob(), filename);
}

export async function apiPost<T>(path: string, body: unknown): Promise<T> {
  return request<T>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
}

export async function apiPut<T>(path: string, body: unknown): Promise<T> {
  return request<T>(path, { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
}

async function request<T>(url: string, init: RequestInit): Promise<T> {
  const token = useSessionStore().token;
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
