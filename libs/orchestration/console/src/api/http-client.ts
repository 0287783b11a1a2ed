import { API_BASE } from '../config';
import { ApiError } from './api-error';
import { auth, keyRefused } from './auth';

/** Headers of every API request: JSON, and the Bearer key when there is one. */
export function apiHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const { key } = auth.get();
  return {
    accept: 'application/json',
    ...(key ? { authorization: `Bearer ${key}` } : {}),
    ...extra,
  };
}

/** The API URL of `path` (which starts with `/`). */
export function apiUrl(path: string): string {
  return `${API_BASE}${path}`;
}

/** Turns an error response into an ApiError (and a 401 into a sign-in prompt). */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: any = null;
  try {
    body = await response.json();
  } catch {
    // NOTE: not JSON (a proxy's page): the status says enough.
  }
  const message = typeof body?.message === 'string' ? body.message : response.statusText;
  const error = new ApiError(
    response.status,
    typeof body?.code === 'string' ? body.code : `HTTP_${response.status}`,
    message || `HTTP ${response.status}`,
    Array.isArray(body?.details) ? body.details : [],
    typeof body?.state === 'string' ? body.state : undefined,
  );
  if (response.status === 401) keyRefused(error.message);
  return error;
}

/** Sends a JSON request to the API; resolves with the parsed body (null for 204). */
export async function api<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ body: T; headers: Headers; status: number }> {
  const response = await fetch(apiUrl(path), {
    method,
    headers: apiHeaders(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await toApiError(response);
  const parsed = response.status === 204 ? null : await response.json();
  return { body: parsed as T, headers: response.headers, status: response.status };
}

/** GET, resolving with the body only. */
export async function getJson<T>(path: string): Promise<T> {
  return (await api<T>('GET', path)).body;
}
