import type { Metadata } from 'next';
import { ComingLater } from '@/components/ui/coming-later.tsx';

export const metadata: Metadata = { title: 'Templates' };

export default function TemplatesPage() {
  return <ComingLater title="Templates" what="App templates deploy ready-made containers and stacks from a catalogue." />;
}
