'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { images } from '../api/docker.ts';
import type { ImageInspect } from '../api/docker-types.ts';
import { formatBytes, formatDate, shortId } from '../format.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { Badge } from '../ui/badge.tsx';
import { UpdateBadge } from '../updates/update-badge.tsx';
import { imageUpdate, useUpdates } from '../updates/use-updates.ts';
import { JsonView } from '../ui/json-view.tsx';
import { Card, ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { ResourceDetails } from '../ui/resource-details.tsx';
import { SizeHints } from './size-hints.tsx';

/** For each layer index of `mine`, how many other images share the chain up to it (same layers below and at it). */
function sharedCounts(mine: string[], others: string[][]): number[] {
  return mine.map((_layer, i) => others.filter((o) => o.length > i && mine.slice(0, i + 1).every((l, j) => o[j] === l)).length);
}

export function ImageDetails({ id }: { id: string }) {
  const env = useEnv();
  const inspect = useQuery({ queryKey: qk.image(env, id), queryFn: () => images.inspect(env, id) });
  const history = useQuery({ queryKey: qk.imageHistory(env, id), queryFn: () => images.history(env, id) });
  const list = useQuery({ queryKey: qk.imageList(env), queryFn: () => images.list(env) });
  const updates = useUpdates(env);
  // Every other image's layer list, to tell which layers are shared; one inspect per image.
  const self = inspect.data?.Id;
  const others = (list.data ?? []).map((i) => i.Id).filter((other) => other !== self);
  const layers = useQuery({
    queryKey: [...qk.imageLayers(env), self, others.join(',')],
    enabled: Boolean(list.data && self),
    queryFn: async () => {
      const all = await Promise.all(others.map((other) => images.inspect(env, other).catch(() => null)));
      return all.filter((i): i is ImageInspect => i !== null).map((i) => i.RootFS?.Layers ?? []);
    },
  });

  if (inspect.error) return <ErrorBox error={inspect.error} what="the image" />;
  if (!inspect.data) return <Loading what="the image" />;
  const img = inspect.data;
  const mine = img.RootFS?.Layers ?? [];
  const shared = layers.data ? sharedCounts(mine, layers.data) : undefined;
  // History lists empty (metadata-only) steps too; the ones with a size map to layers in order.
  const entries = [...(history.data ?? [])].reverse();
  let layerIndex = 0;
  const nonEmpty = entries.filter((h) => h.Size > 0).length;
  const exact = nonEmpty === mine.length;

  return (
    <div className="space-y-4">
      <PageHeader title={<span className="flex items-center gap-3">{img.RepoTags?.[0] ?? shortId(img.Id)}<UpdateBadge update={imageUpdate(updates.data, img.Id)} /></span>} subtitle={<><Link href="/images" className="text-accent hover:underline">Images</Link> / <span className="font-mono">{shortId(img.Id)}</span></>} />
      <ResourceDetails sections={[
        {
          title: 'Image', rows: [
            ['ID', <span key="i" className="font-mono text-xs break-all">{img.Id}</span>],
            ['Tags', (img.RepoTags ?? []).join(', ') || 'none'],
            ['Created', formatDate(img.Created)],
            ['Size', formatBytes(img.Size)],
            ['Platform', `${img.Os ?? '?'}/${img.Architecture ?? '?'}`],
            ['Layers', String(mine.length)],
            ['Comment', img.Comment || '—'],
          ],
        },
        {
          title: 'Defaults for containers', rows: [
            ['Command', <code key="c" className="font-mono text-xs">{JSON.stringify(img.Config?.Cmd ?? null)}</code>],
            ['Entrypoint', <code key="e" className="font-mono text-xs">{JSON.stringify(img.Config?.Entrypoint ?? null)}</code>],
            ['Working dir', img.Config?.WorkingDir || '—'],
            ['User', img.Config?.User || 'root'],
            ['Exposed ports', Object.keys(img.Config?.ExposedPorts ?? {}).join(', ') || 'none'],
            ['Environment', <span key="env" className="font-mono text-xs whitespace-pre-wrap">{(img.Config?.Env ?? []).join('\n') || '—'}</span>],
            ['Labels', <span key="labels" className="font-mono text-xs whitespace-pre-wrap break-all" data-image-labels>{Object.entries(img.Config?.Labels ?? {}).map(([k, v]) => `${k}=${v}`).join('\n') || '—'}</span>],
          ],
        },
      ]} />
      <Card title="History">
        {history.error && <ErrorBox error={history.error} what="the history" />}
        {!history.data && !history.error && <Loading what="the history" />}
        {history.data && (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-history>
              <thead className="text-left text-xs text-muted">
                <tr><th className="py-1 pr-3 font-medium">#</th><th className="pr-3 font-medium">Created</th><th className="pr-3 font-medium">Size</th><th className="pr-3 font-medium">Shared with</th><th className="font-medium">Command</th></tr>
              </thead>
              <tbody>
                {entries.map((h, i) => {
                  const isLayer = h.Size > 0 && exact;
                  const index = isLayer ? layerIndex++ : -1;
                  const count = index >= 0 ? shared?.[index] : undefined;
                  return (
                    <tr key={i} className="border-t border-line align-top">
                      <td className="py-1.5 pr-3 text-muted">{i + 1}</td>
                      <td className="pr-3 whitespace-nowrap">{formatDate(h.Created)}</td>
                      <td className="pr-3 whitespace-nowrap">{h.Size > 0 ? formatBytes(h.Size) : <span className="text-muted">0 B</span>}</td>
                      <td className="pr-3 whitespace-nowrap">
                        {index < 0 ? <span className="text-muted">—</span> : count === undefined ? '…' : count > 0
                          ? <Badge tone="info">{count} image{count === 1 ? '' : 's'}</Badge> : <span className="text-muted">only this</span>}
                      </td>
                      <td className="font-mono text-xs break-all whitespace-pre-wrap">{h.CreatedBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, '')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {!exact && mine.length > 0 && <p className="mt-2 text-xs text-muted">The history does not map one-to-one onto this image's {mine.length} layers, so sharing is shown per layer below.</p>}
          </div>
        )}
      </Card>
      {!exact && shared && (
        <Card title="Layers">
          <ul className="space-y-1 font-mono text-xs">
            {mine.map((l, i) => <li key={l}>{i + 1}. {shortId(l.replace('sha256:', ''))} {shared[i] ? <Badge tone="info">shared with {shared[i]}</Badge> : null}</li>)}
          </ul>
        </Card>
      )}
      <SizeHints env={env} id={img.Id} />
      <JsonView value={img} name="docker image inspect" />
    </div>
  );
}
