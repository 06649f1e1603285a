import type { Metadata } from 'next';
import { ContainerDetails } from '@/components/containers/details/container-details.tsx';

export const metadata: Metadata = { title: 'Container' };

export default async function ContainerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ContainerDetails id={decodeURIComponent(id)} />;
}
