'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { messageOf } from '../api/client.ts';
import { containers, images } from '../api/docker.ts';
import type { ImageSummary } from '../api/docker-types.ts';
import { runPool } from '../containers/actions.ts';
import { formatAgo, formatBytes, shortId } from '../format.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { useCanWrite } from '../shell/session.tsx';
import { Badge } from '../ui/badge.tsx';
import { UpdateBadge } from '../updates/update-badge.tsx';
import { imageUpdate, useUpdates } from '../updates/use-updates.ts';
import { Button, buttonClass } from '../ui/button.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { ResourceTable, type Column } from '../ui/resource-table.tsx';
import { useToast } from '../ui/toasts.tsx';
import { ImportDialog } from './import-dialog.tsx';
import { LoadArchive } from './load-archive.tsx';
import { PruneDialog } from './prune-dialog.tsx';
import { PullDialog } from './pull-dialog.tsx';
import { TagDialog } from './tag-dialog.tsx';
import { PushDialog } from './push-dialog.tsx';

/** The names `docker save` should record for an image: its tags, or its id when it has none. */
export function saveNames(i: ImageSummary): string[] {
  const tags = (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  return tags.length ? tags : [i.Id];
}

export function imageLabel(i: ImageSummary): string {
  const tag = i.RepoTags?.find((t) => t !== '<none>:<none>');
  return tag ?? shortId(i.Id);
}

export function ImagesList() {
  const env = useEnv();
  const canWrite = useCanWrite();
  const toast = useToast();
  const confirm = useConfirm();
  const client = useQueryClient();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [pullOpen, setPullOpen] = useState(false);
  const [tagging, setTagging] = useState<ImageSummary | null>(null);
  const [pushing, setPushing] = useState<ImageSummary | null>(null);
  const [removing, setRemoving] = useState(false);
  const [pruneOpen, setPruneOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const list = useQuery({ queryKey: qk.imageList(env), queryFn: () => images.list(env) });
  const updates = useUpdates(env);
  const ctrs = useQuery({ queryKey: qk.containerList(env), queryFn: () => containers.list(env) });

  const usedBy = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const c of ctrs.data ?? []) map.set(c.ImageID, [...(map.get(c.ImageID) ?? []), c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12)]);
    return map;
  }, [ctrs.data]);

  const remove = async (targets: ImageSummary[]) => {
    const inUse = targets.filter((t) => usedBy.has(t.Id)).length;
    const answer = await confirm({
      title: `Remove ${targets.length} image${targets.length === 1 ? '' : 's'}?`,
      message: <p className="break-words">{targets.map(imageLabel).join(', ')}</p>,
      confirmLabel: 'Remove',
      danger: true,
      option: { label: `Force: remove even if tagged several times or used by stopped containers${inUse ? ` (${inUse} in use)` : ''}`, initial: false },
    });
    if (!answer.confirmed) return;
    setRemoving(true);
    const failures = await runPool(targets, 4, async (t) => { await images.remove(env, t.Id, answer.option); });
    setRemoving(false);
    void client.invalidateQueries({ queryKey: qk.images(env) });
    if (failures.length < targets.length) toast.success(`Removed ${targets.length - failures.length} image${targets.length - failures.length === 1 ? '' : 's'}`);
    for (const f of failures.slice(0, 5)) toast.error(`${imageLabel(f.item)}: ${messageOf(f.error)}`);
    setSelected(new Set());
  };

  const columns: Column<ImageSummary>[] = [
    {
      id: 'tags', header: 'Tags', width: 'minmax(14rem, 3fr)', sortValue: imageLabel,
      cell: (i) => (
        <span className="flex items-center gap-1.5 overflow-hidden">
          {(i.RepoTags ?? []).filter((t) => t !== '<none>:<none>').length === 0
            ? <Link prefetch={false} href={`/images/${encodeURIComponent(i.Id)}`} className="text-muted hover:underline">&lt;none&gt;</Link>
            : (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>').map((t) => (
              <Link prefetch={false} key={t} href={`/images/${encodeURIComponent(i.Id)}`} className="truncate font-medium text-accent hover:underline" data-image-tag={t}>{t}</Link>
            ))}
          <UpdateBadge update={imageUpdate(updates.data, i.Id)} />
        </span>
      ),
    },
    { id: 'id', header: 'ID', width: '9rem', sortValue: (i) => i.Id, cell: (i) => <span className="font-mono text-xs">{shortId(i.Id)}</span> },
    { id: 'size', header: 'Size', width: '7rem', sortValue: (i) => i.Size, cell: (i) => formatBytes(i.Size) },
    { id: 'created', header: 'Created', width: '8rem', sortValue: (i) => i.Created, cell: (i) => <span className="text-muted">{formatAgo(i.Created)}</span> },
    {
      id: 'used', header: 'Used by', width: 'minmax(8rem, 1.5fr)', sortValue: (i) => usedBy.get(i.Id)?.length ?? 0,
      cell: (i) => {
        const users = usedBy.get(i.Id);
        return users ? <span title={users.join(', ')}><Badge tone="success">{users.length}</Badge> {users.slice(0, 2).join(', ')}</span> : <span className="text-muted">unused</span>;
      },
    },
    {
      id: 'actions', header: '', width: '14rem',
      cell: (i) => (
        <span className="flex gap-1">
          {canWrite && <Button size="sm" onClick={() => setTagging(i)}>Tag</Button>}
          {canWrite && <Button size="sm" onClick={() => setPushing(i)}>Push</Button>}
          <a className={buttonClass('default', 'sm')} href={images.saveUrl(env, saveNames(i))} download={`${imageLabel(i).replace(/[^\w.-]+/g, '_')}.tar`}>Save</a>
          {canWrite && <Button size="sm" variant="danger" onClick={() => void remove([i])}>Remove</Button>}
        </span>
      ),
    },
  ];

  return (
    <>
      <PageHeader title="Images" subtitle={`Environment ${env}`}
        actions={canWrite && (
          <>
            <Button variant="primary" onClick={() => setPullOpen(true)} data-pull-open>Pull</Button>
            <Link href="/images/build" className={buttonClass()}>Build</Link>
            <Button onClick={() => setImportOpen(true)} data-import-open>Import</Button>
            <LoadArchive env={env} />
            <Button variant="danger" onClick={() => setPruneOpen(true)} data-prune-open>Prune</Button>
          </>
        )} />
      {list.error && <ErrorBox error={list.error} what="images" />}
      {list.isPending && <Loading what="images" />}
      {list.data && (
        <ResourceTable<ImageSummary>
          label="images" rows={list.data} columns={columns} rowId={(i) => i.Id} rowLabel={imageLabel}
          searchText={(i) => `${(i.RepoTags ?? []).join(' ')} ${i.Id}`}
          selectable selected={selected} onSelectedChange={setSelected}
          initialSort={{ column: 'created', desc: true }}
          toolbar={(chosen) => (
            <>
              {chosen.length === 0
                ? <Button size="sm" disabled>Save selected</Button>
                : <a className={buttonClass('default', 'sm')} href={images.saveUrl(env, chosen.flatMap(saveNames))} download="images.tar" data-save-selected>Save selected</a>}
              {canWrite && <Button size="sm" variant="danger" disabled={chosen.length === 0} busy={removing} onClick={() => void remove(chosen)}>Remove selected</Button>}
            </>
          )}
        />
      )}
      <PullDialog env={env} open={pullOpen} onClose={() => setPullOpen(false)} />
      {tagging && <TagDialog env={env} image={tagging} onClose={() => setTagging(null)} />}
      {pushing && <PushDialog env={env} image={pushing} onClose={() => setPushing(null)} />}
      {pruneOpen && <PruneDialog env={env} onClose={() => setPruneOpen(false)} />}
      {importOpen && <ImportDialog env={env} onClose={() => setImportOpen(false)} />}
    </>
  );
}
