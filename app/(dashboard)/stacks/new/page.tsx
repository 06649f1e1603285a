import type { Metadata } from 'next';
import { NewStack } from '@/components/stacks/new-stack.tsx';

export const metadata: Metadata = { title: 'New stack' };

export default async function NewStackPage({ searchParams }: { searchParams: Promise<{ template?: string }> }) {
  const { template } = await searchParams;
  return <NewStack template={template} />;
}
