import type { Metadata } from 'next';
import { StackDetails } from '@/components/stacks/stack-details.tsx';

export const metadata: Metadata = { title: 'Stack' };

export default async function StackPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <StackDetails name={decodeURIComponent(name)} />;
}
