import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { authStatus } from '@/components/auth/status.server.ts';
import { ServerUnavailable } from '@/components/auth/server-unavailable.tsx';
import { SignIn } from '@/components/auth/sign-in.tsx';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const result = await authStatus();
  if ('error' in result) return <ServerUnavailable message={result.error} />;
  const { next } = await searchParams;
  // Only paths on this site: an absolute URL here would be an open redirect.
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  if (result.status.user) redirect(target);
  return <SignIn setupRequired={result.status.setupRequired} next={target} />;
}
