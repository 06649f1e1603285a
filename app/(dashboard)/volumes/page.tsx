import type { Metadata } from 'next';
import { VolumesList } from '@/components/volumes/list.tsx';

export const metadata: Metadata = { title: 'Volumes' };

export default function VolumesPage() {
  return <VolumesList />;
}
