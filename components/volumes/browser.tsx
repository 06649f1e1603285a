'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { volumeBrowsePath, volumeDownloadPath, type VolumeEntry, type VolumeListing } from '@/server/protocol/index.ts';
import { api } from '../api/client.ts';
import { formatBytes, formatDate } from '../format.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { buttonClass } from '../ui/button.tsx';
import { Card, Empty, ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';

/** Where a directory of the volume is shown: the path lives in the URL so Back works. */
const pageOf = (volume: string, path: string) => `/volumes/${encodeURIComponent(volume)}?path=${encodeURIComponent(path)}`;
const join = (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);

function Breadcrumb({ volume, path }: { volume: string; path: string }) {
  const parts = path.split('/').filter(Boolean);
  return (
    <nav aria-label="Path" data-volume-path={path} className="flex flex-wrap items-center gap-1 font-mono text-sm">
      <Link href={pageOf(volume, '/')} className="text-accent hover:underline">/</Link>
      {parts.map((part, i) => {
        const to = `/${parts.slice(0, i + 1).join('/')}`;
        return (
          <span key={to} className="flex items-center gap-1">
            {i > 0 && <span className="text-muted">/</span>}
            {i === parts.length - 1 ? <span>{part}</span> : <Link href={pageOf(volume, to)} className="text-accent hover:underline">{part}</Link>}
          </span>
        );
      })}
    </nav>
  );
}

function EntryName({ volume, dir, entry }: { volume: string; dir: string; entry: VolumeEntry }) {
  if (entry.type === 'dir') {
    return <Link prefetch={false} href={pageOf(volume, join(dir, entry.name))} className="font-medium text-accent hover:underline" data-entry-dir>{entry.name}/</Link>;
  }
  if (entry.type === 'symlink') {
    return <span><span className="font-medium">{entry.name}</span> <span className="text-muted">→ {entry.linkTarget ?? ''}</span></span>;
  }
  return <span className="font-medium">{entry.name}</span>;
}

/** A read-only view of one volume's files, with downloads (a directory comes as a tar). */
export function VolumeBrowser({ name, path }: { name: string; path: string }) {
  const env = useEnv();
  const listing = useQuery({
    queryKey: [...qk.volumes(env), 'browse', name, path],
    queryFn: () => api<VolumeListing>(volumeBrowsePath(env, name, path)),
  });
  const dir = listing.data?.path ?? path;

  return (
    <div className="space-y-4">
      <PageHeader title={name} subtitle={<><Link href="/volumes" className="text-accent hover:underline">Volumes</Link> / browse</>}
        actions={<a className={buttonClass('default', 'sm')} href={volumeDownloadPath(env, name, dir)} download data-download-dir>Download this folder</a>} />
      <Card title={<Breadcrumb volume={name} path={dir} />}>
        {listing.error && <ErrorBox error={listing.error} what={`${dir} of volume ${name}`} />}
        {listing.isPending && <Loading what="files" />}
        {listing.data && listing.data.entries.length === 0 && <Empty>This folder is empty.</Empty>}
        {listing.data && listing.data.entries.length > 0 && (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-volume-browser>
              <thead className="text-left text-xs text-muted">
                <tr><th className="py-1 pr-3 font-medium">Name</th><th className="pr-3 font-medium">Size</th><th className="pr-3 font-medium">Mode</th><th className="pr-3 font-medium">Modified</th><th className="font-medium"><span className="sr-only">Download</span></th></tr>
              </thead>
              <tbody>
                {dir !== '/' && (
                  <tr className="border-t border-line"><td className="py-1.5" colSpan={5}><Link href={pageOf(name, dir.slice(0, dir.lastIndexOf('/')) || '/')} className="text-accent hover:underline">..</Link></td></tr>
                )}
                {listing.data.entries.map((e) => (
                  <tr key={e.name} className="border-t border-line" data-entry={e.type}>
                    <td className="py-1.5 pr-3 break-all"><EntryName volume={name} dir={dir} entry={e} /></td>
                    <td className="pr-3 whitespace-nowrap">{e.type === 'file' ? formatBytes(e.size) : <span className="text-muted">—</span>}</td>
                    <td className="pr-3 font-mono text-xs">{e.mode}</td>
                    <td className="pr-3 whitespace-nowrap">{formatDate(e.mtime)}</td>
                    <td className="text-right">
                      {(e.type === 'file' || e.type === 'dir') && (
                        <a className="text-accent hover:underline" href={volumeDownloadPath(env, name, join(dir, e.name))} download>
                          Download<span className="sr-only"> {e.name}</span>
                        </a>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
