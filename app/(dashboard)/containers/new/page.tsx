import type { Metadata } from 'next';
import { CreateContainer } from '@/components/containers/create/form.tsx';

export const metadata: Metadata = { title: 'Create a container' };

export default function NewContainerPage() {
  return <CreateContainer />;
}
