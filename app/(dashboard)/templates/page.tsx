import type { Metadata } from 'next';
import { TemplateCatalogue } from '@/components/templates/catalogue.tsx';

export const metadata: Metadata = { title: 'Templates' };

export default function TemplatesPage() {
  return <TemplateCatalogue />;
}
