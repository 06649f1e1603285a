'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { TextField } from '../ui/field.tsx';
import { ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { stacks } from './api.ts';
import { StackEditor } from './stack-editor.tsx';

const EXAMPLE = `services:
  web:
    image: busybox
    command: ["httpd", "-f", "-p", "80"]
`;

/** A new stack (empty, or from a compose-stack template): its name, its files, its plan, then up. */
export function NewStack({ template }: { template?: string }) {
  const files = useQuery({ queryKey: ['stacks', 'from-template', template], queryFn: () => stacks.fromTemplate(template!), enabled: !!template });
  if (template && files.isLoading) return <Loading what="the template" />;
  if (files.error) return <ErrorBox error={files.error} what="the template" />;
  return <NewStackForm initial={files.data} />;
}

function NewStackForm({ initial }: { initial?: { name: string; compose: string; env: string } }) {
  const router = useRouter();
  const [name, setName] = useState(initial?.name ?? '');
  const created = useRef(false);
  return (
    <div className="space-y-4">
      <PageHeader title="New stack" />
      <TextField label="Name (lowercase letters, digits, - and _)" name="stack-name" value={name} onChange={(e) => setName(e.target.value)} />
      <StackEditor name={() => name} initial={{ compose: initial?.compose ?? EXAMPLE, env: initial?.env ?? '' }}
        save={async (files) => {
          // The first save creates the folder; later ones (after a refused plan) update it.
          if (created.current) await stacks.save(name, files);
          else {
            await stacks.create(name, files);
            created.current = true;
          }
        }}
        onApplied={() => router.push(`/stacks/${encodeURIComponent(name)}`)} />
    </div>
  );
}
