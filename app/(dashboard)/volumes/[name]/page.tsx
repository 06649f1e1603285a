import type { Metadata } from 'next';
import { VolumeBrowser } from '@/components/volumes/browser.tsx';

export const metadata: Metadata = { title: 'Volume' };

export default async function VolumePage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<{ path?: string | string[] }> }) {
  const { name } = await params;
  const { path } = await searchParams;
  return <VolumeBrowser name={decodeURIComponent(name)} path={typeof path === 'string' && path !== '' ? path : '/'} />;
}
