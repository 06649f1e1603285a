import { cookies } from 'next/headers';
import { authStatusSchema, SESSION_COOKIE, type AuthStatus } from '@/server/protocol/index.ts';

/** Where server components reach the dashboard API: this same process, set by the server at start. */
export function internalOrigin(): string {
  return process.env.WHARF_INTERNAL_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? 9000}`;
}

export type StatusResult = { status: AuthStatus } | { error: string };

/** GET /api/auth/status with the browser's session cookie, for redirects before anything renders. */
export async function authStatus(): Promise<StatusResult> {
  const jar = await cookies();
  const session = jar.get(SESSION_COOKIE)?.value;
  try {
    const res = await fetch(`${internalOrigin()}/api/auth/status`, {
      headers: session ? { cookie: `${SESSION_COOKIE}=${session}` } : {},
      cache: 'no-store',
    });
    if (!res.ok) return { error: `the server answered ${res.status} to GET /api/auth/status` };
    const parsed = authStatusSchema.safeParse(await res.json());
    if (!parsed.success) return { error: 'the server answered GET /api/auth/status with an unexpected body' };
    return { status: parsed.data };
  } catch (err) {
    return { error: `cannot reach the dashboard API: ${err instanceof Error ? err.message : String(err)}` };
  }
}
