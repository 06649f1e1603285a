import { PageHeader } from './layout.tsx';

/** For sections that arrive in a later release: said plainly, nothing pretended. */
export function ComingLater({ title, what }: { title: string; what: string }) {
  return (
    <>
      <PageHeader title={title} />
      <p className="rounded-lg border border-line bg-panel p-6 text-sm text-muted" role="status">{what} This is coming in a later release of Wharf.</p>
    </>
  );
}
