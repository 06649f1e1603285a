import type { ReactNode } from 'react';
import type { KernelPart } from '@/server/protocol/kernel-view.ts';
import { Card } from '../../ui/layout.tsx';

/**
 * One section of the kernel view: its content when the part was read, the reason when it could
 * not be, or `absent` (a part that only exists while the container runs).
 */
export function PartCard<T>({ title, part, absent, children, wide }: { title: string; part: KernelPart<T> | null; absent: string; children: (value: T) => ReactNode; wide?: boolean }) {
  return (
    <Card title={title} className={wide ? 'xl:col-span-2' : ''}>
      <div data-kernel-part={title}>
        {part === null && <p className="text-sm text-muted">{absent}</p>}
        {part && !part.ok && <p className="text-sm text-danger" role="alert">Could not read this: {part.error}</p>}
        {part?.ok && children(part.value)}
      </div>
    </Card>
  );
}

/** Kernel words (paths, rules, ids) in a monospace block that wraps rather than overflows. */
export function Mono({ children }: { children: ReactNode }) {
  return <span className="font-mono text-xs break-all">{children}</span>;
}
