import type { Metadata } from 'next';
import { BuildImage } from '@/components/images/build.tsx';

export const metadata: Metadata = { title: 'Build an image' };

export default function BuildPage() {
  return <BuildImage />;
}
