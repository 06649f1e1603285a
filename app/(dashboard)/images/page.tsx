import type { Metadata } from 'next';
import { ImagesList } from '@/components/images/list.tsx';

export const metadata: Metadata = { title: 'Images' };

export default function ImagesPage() {
  return <ImagesList />;
}
