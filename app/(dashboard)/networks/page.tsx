import type { Metadata } from 'next';
import { NetworksList } from '@/components/networks/list.tsx';

export const metadata: Metadata = { title: 'Networks' };

export default function NetworksPage() {
  return <NetworksList />;
}
