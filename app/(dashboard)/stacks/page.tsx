import type { Metadata } from 'next';
import { ComingLater } from '@/components/ui/coming-later.tsx';

export const metadata: Metadata = { title: 'Stacks' };

export default function StacksPage() {
  return <ComingLater title="Stacks" what="Stacks deploy and manage compose files. Containers created by compose tools already show grouped by project on the Containers page." />;
}
