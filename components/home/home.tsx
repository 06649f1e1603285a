'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { networks, system } from '../api/docker.ts';
import type { SystemDf } from '../api/docker-types.ts';
import { formatBytes } from '../format.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { Card, ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';

/** The engine at a glance: GET /info, /version and /system/df of the current environment. */
export function Home() {
  const env = useEnv();
  const info = useQuery({ queryKey: qk.info(env), queryFn: () => system.info(env) });
  const version = useQuery({ queryKey: qk.version(env), queryFn: () => system.version(env) });
  const df = useQuery({ queryKey: qk.df(env), queryFn: () => system.df(env) });
  const i = info.data;
  return (
    <>
      <PageHeader title="Home" subtitle={i ? `Environment ${env}: ${i.Name}` : `Environment ${env}`} />
      {info.error && <ErrorBox error={info.error} what="the engine's info" />}
      {info.isPending && <Loading what="the engine's info" />}
      {i && (
        <div className="grid gap-4 lg:grid-cols-3">
          <Card title="Engine">
            <Facts facts={[
              ['Version', version.data ? `${version.data.Version} (API ${version.data.ApiVersion})` : i.ServerVersion],
              ['Operating system', i.OperatingSystem],
              ['Kernel', i.KernelVersion],
              ['Architecture', i.Architecture ?? version.data?.Arch ?? '—'],
              ['CPUs', String(i.NCPU)],
              ['Memory', formatBytes(i.MemTotal)],
              ['Cgroups', i.CgroupVersion ? `v${i.CgroupVersion}${i.CgroupDriver ? ` (${i.CgroupDriver})` : ''}` : '—'],
              ['Storage driver', i.Driver ?? '—'],
              ['Root directory', i.DockerRootDir ?? '—'],
            ]} />
          </Card>
          <Card title="Resources" className="lg:col-span-2">
            <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
              <Stat label="Running" value={i.ContainersRunning} href="/containers?state=running" tone="text-success" />
              <Stat label="Stopped" value={i.ContainersStopped} href="/containers?state=exited" tone="text-muted" />
              <Stat label="Paused" value={i.ContainersPaused} href="/containers?state=paused" tone="text-warning" />
              <Stat label="Images" value={i.Images} href="/images" />
              <Stat label="Volumes" value={df.data?.Volumes?.length} href="/volumes" />
              <Networks env={env} />
            </div>
          </Card>
          <Card title="Disk usage" className="lg:col-span-3">
            {df.error ? <ErrorBox error={df.error} what="disk usage" /> : df.data ? <DiskUsage df={df.data} /> : <Loading what="disk usage" />}
          </Card>
        </div>
      )}
    </>
  );
}

function Networks({ env }: { env: string }) {
  const { data } = useQuery({ queryKey: qk.networkList(env), queryFn: () => networks.list(env) });
  return <Stat label="Networks" value={data?.length} href="/networks" />;
}

function Facts({ facts }: { facts: [string, string][] }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
      {facts.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-muted">{label}</dt>
          <dd className="min-w-0 break-words" data-fact={label}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Stat({ label, value, href, tone = '' }: { label: string; value: number | undefined; href: string; tone?: string }) {
  return (
    <Link href={href} className="rounded-md border border-line bg-bg p-3 hover:border-accent" data-stat={label}>
      <p className="text-xs text-muted">{label}</p>
      <p className={`text-2xl font-semibold ${tone}`}>{value ?? '—'}</p>
    </Link>
  );
}

function DiskUsage({ df }: { df: SystemDf }) {
  const images = df.Images ?? [];
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  const rows: [string, number, number, number, ReactNode][] = [
    ['Images', images.length, images.filter((i) => i.Containers > 0).length, df.LayersSize ?? images.reduce((n, i) => n + i.Size - i.SharedSize, 0), 'layers on disk'],
    ['Containers', containers.length, containers.length, containers.reduce((n, c) => n + (c.SizeRw ?? 0), 0), 'writable layers'],
    ['Local volumes', volumes.length, volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length, volumes.reduce((n, v) => n + Math.max(0, v.UsageData?.Size ?? 0), 0), 'volume data'],
    ['Build cache', cache.length, cache.filter((c) => c.InUse).length, cache.reduce((n, c) => n + (c.Size ?? 0), 0), 'cached build steps'],
  ];
  const total = rows.reduce((n, r) => n + r[3], 0) || 1;
  return (
    <table className="w-full text-sm">
      <thead className="text-left text-xs text-muted">
        <tr><th className="py-1 font-medium">Kind</th><th className="font-medium">Total</th><th className="font-medium">In use</th><th className="font-medium">Size</th><th className="w-1/3 font-medium">Share</th></tr>
      </thead>
      <tbody>
        {rows.map(([kind, count, active, size, what]) => (
          <tr key={kind} className="border-t border-line" data-df={kind}>
            <td className="py-2">{kind}</td>
            <td>{count}</td>
            <td>{active}</td>
            <td title={String(what)}>{formatBytes(size)}</td>
            <td><div className="h-2 rounded bg-raised"><div className="h-2 rounded bg-accent" style={{ width: `${(size / total) * 100}%` }} /></div></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
