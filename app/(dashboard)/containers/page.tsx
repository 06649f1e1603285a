import type { Metadata } from 'next';
import { ContainersList } from '@/components/containers/list.tsx';

export const metadata: Metadata = { title: 'Containers' };

export default function ContainersPage() {
  return <ContainersList />;
}
