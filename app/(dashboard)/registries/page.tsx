import type { Metadata } from 'next';
import { RegistriesView } from '@/components/registries/registries.tsx';

export const metadata: Metadata = { title: 'Registries' };

export default function RegistriesPage() {
  return <RegistriesView />;
}
