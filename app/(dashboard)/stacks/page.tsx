import type { Metadata } from 'next';
import { StackList } from '@/components/stacks/stack-list.tsx';

export const metadata: Metadata = { title: 'Stacks' };

export default function StacksPage() {
  return <StackList />;
}
