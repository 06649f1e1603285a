import type { ErrorBody } from '@/server/protocol/index.ts';

/** A non-2xx answer of the dashboard API or of an engine behind the proxy. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** The refused request field as a dotted path (`HostConfig.Binds[0]`), when the server named one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Where the sign-in page lives; every 401 sends the browser there once. */
let redirecting = false;
function toLogin(): void {
  if (redirecting || typeof window === 'undefined' || window.location.pathname === '/login') return;
  redirecting = true;
  const next = window.location.pathname + window.location.search;
  window.location.assign(`/login?next=${encodeURIComponent(next)}`);
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let body: Partial<ErrorBody> = {};
  try {
    body = JSON.parse(text) as Partial<ErrorBody>;
  } catch {
    // Engines and proxies in between may answer with plain text.
  }
  const message = typeof body.message === 'string' && body.message !== ''
    ? body.message
    : text.trim() || `${res.status} ${res.statusText}`;
  return new ApiError(res.status, message, typeof body.field === 'string' ? body.field : undefined);
}

export interface RequestOptions extends Omit<RequestInit, 'body'> {
  /** Sent as JSON unless it is already a body type fetch understands. */
  body?: unknown;
  /** Answer 401 by throwing instead of sending the browser to the sign-in page. */
  noRedirect?: boolean;
}

function encodeBody(body: unknown, headers: Headers): BodyInit | undefined {
  if (body === undefined) return undefined;
  if (body instanceof Blob || body instanceof ArrayBuffer || body instanceof FormData || body instanceof ReadableStream
    || typeof body === 'string' || ArrayBuffer.isView(body)) {
    return body as BodyInit;
  }
  if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  return JSON.stringify(body);
}

/** Methods that only read (RFC 9110 §9.2.1): sending one twice changes nothing. */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const RESEND_DELAY_MS = 250;

/**
 * fetch(), once more for a read the browser dropped without an answer. Chromium cancels every
 * request in flight when the host's addresses change (net::ERR_NETWORK_CHANGED), and a browser
 * on the Docker host sees a new address with every container's interface; a flaky link drops
 * requests too. A write is never sent twice: the first may have been carried out.
 */
async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch (err) {
    // fetch rejects with a TypeError for a network failure, a DOMException when aborted.
    if (!(err instanceof TypeError) || !SAFE.has((init.method ?? 'GET').toUpperCase()) || init.signal?.aborted) throw err;
    await new Promise((resolve) => setTimeout(resolve, RESEND_DELAY_MS));
    return fetch(path, init);
  }
}

/** fetch() against our own origin; resolves to the Response when it is 2xx, throws ApiError otherwise. */
export async function apiResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  const { body, noRedirect, ...init } = options;
  const headers = new Headers(init.headers);
  const res = await send(path, { ...init, headers, body: encodeBody(body, headers), credentials: 'same-origin', cache: 'no-store' });
  if (res.ok) return res;
  if (res.status === 401 && !noRedirect) toLogin();
  throw await errorOf(res);
}

/** The JSON answer of a request (undefined for 204 or an empty body). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await apiResponse(path, options);
  const text = await res.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** A message fit for a toast from anything thrown. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
