import type { KernelCgroup, KernelNamespace, KernelOverlay, KernelViewBody } from '@/server/protocol/kernel-view.ts';
import Link from 'next/link';
import { formatBytes } from '../../format.ts';
import { Badge } from '../../ui/badge.tsx';
import { SimpleTable } from '../../ui/resource-details.tsx';
import { Mono } from './part.tsx';

const NS_MEANING: Record<KernelNamespace['type'], string> = {
  pid: 'process ids', net: 'interfaces, routes, ports', ipc: 'SysV IPC, POSIX queues', uts: 'hostname',
  mnt: 'mount table', cgroup: 'cgroup root', user: 'uid/gid mapping',
};

export function Namespaces({ list }: { list: KernelNamespace[] }) {
  return (
    <SimpleTable headers={['Namespace', 'Inode', 'Shared with', 'Isolates']} rows={list.map((n) => [
      <Mono key="t">{n.type}</Mono>,
      <span key="i" data-ns-inode={n.type}><Mono>{n.inode === null ? '—' : `${n.type}:[${n.inode}]`}</Mono></span>,
      <span key="s" data-ns-shared={n.type}>
        {n.sharedWith === 'host' ? <Badge tone="warning">host</Badge>
          : n.sharedWith === 'own' ? <Badge tone="success">its own</Badge>
            : <>container <Link className="text-accent hover:underline" href={`/containers/${encodeURIComponent(n.sharedWith.id)}?tab=kernel`}>{n.sharedWith.container}</Link></>}
      </span>,
      <span key="m" className="text-muted">{NS_MEANING[n.type]}</span>,
    ])} />
  );
}

export function Network({ net }: { net: NonNullable<Extract<KernelViewBody['network'], { ok: true }>>['value'] }) {
  return (
    <div className="space-y-3">
      <SimpleTable headers={['Interface', 'Index', 'MAC', 'State', 'Addresses']} empty="No interfaces."
        rows={net.interfaces.map((i) => [
          <Mono key="n">{i.ifname}</Mono>, <Mono key="x">{i.ifindex}{i.peerIfindex !== null ? ` ↔ ${i.peerIfindex}` : ''}</Mono>,
          <Mono key="m">{i.mac}</Mono>, <span key="s">{i.state}</span>,
          <span key="a" data-iface-addresses={i.ifname}><Mono>{i.addresses.join(', ') || '—'}</Mono></span>,
        ])} />
      <h4 className="text-xs font-semibold text-muted">veth pairs</h4>
      <SimpleTable headers={['Inside', 'Host side', 'Peer ifindex', 'Bridge', 'Bridge addresses']} empty="No veth: the namespace has loopback only."
        rows={net.veths.map((v) => [
          <Mono key="i">{v.inside}</Mono>, <span key="h" data-veth-host><Mono>{v.hostName ?? '(not in the host namespace)'}</Mono></span>,
          <Mono key="p">{v.hostIfindex}</Mono>, <Mono key="b">{v.bridge ?? '—'}</Mono>, <Mono key="a">{v.bridgeAddresses.join(', ') || '—'}</Mono>,
        ])} />
    </div>
  );
}

export function NatRules({ rules }: { rules: string[] }) {
  if (rules.length === 0) return <p className="text-sm text-muted">No NAT rule in Wharf&apos;s or CNI&apos;s chains names this container.</p>;
  return <pre className="overflow-x-auto rounded bg-bg p-2 font-mono text-xs leading-5 whitespace-pre-wrap break-all" data-nat-rules>{rules.join('\n')}</pre>;
}

const unlimited = (v: number | null, show: (n: number) => string) => (v === null ? 'unlimited' : show(v));

export function Cgroup({ cg }: { cg: KernelCgroup }) {
  const l = cg.limits;
  const u = cg.usage;
  const rows: [string, string, string][] = [
    ['memory', unlimited(l.memory, formatBytes), formatBytes(u.memory)],
    ['memory + swap', unlimited(l.memorySwap, formatBytes), ''],
    ['memory reservation', unlimited(l.memoryReservation, formatBytes), ''],
    ['memory peak', '', formatBytes(u.memoryPeak)],
    ['CPUs', unlimited(l.cpus, (n) => `${n} CPU${n === 1 ? '' : 's'}`), u.cpuNanos === null ? '—' : `${(u.cpuNanos / 1e9).toFixed(2)} s used`],
    [cg.version === 2 ? 'CPU weight' : 'CPU shares', l.cpuShares === null ? '—' : String(l.cpuShares), ''],
    ['CPU set', l.cpuset || 'all', ''],
    ['pids', unlimited(l.pids, String), u.pids === null ? '—' : String(u.pids)],
  ];
  const paths = Object.entries(cg.paths).map(([c, p]) => `${c || '(unified)'}: ${p}`);
  return (
    <div className="space-y-3">
      <p className="text-sm" data-cgroup-path>cgroup v{cg.version} at <Mono>{cg.version === 2 ? cg.paths[''] : cg.paths.memory ?? cg.paths.pids ?? '?'}</Mono></p>
      <SimpleTable headers={['Resource', 'Limit in force', 'Current usage']} rows={rows.map(([name, limit, usage]) => [
        <span key="n">{name}</span>, <span key="l" data-cgroup-limit={name}>{limit}</span>, <span key="u" data-cgroup-usage={name}>{usage}</span>,
      ])} />
      <details><summary className="cursor-pointer text-xs text-muted">Control files and paths</summary>
        <pre className="mt-2 overflow-x-auto rounded bg-bg p-2 font-mono text-xs leading-5 whitespace-pre-wrap break-all" data-cgroup-files>
          {[...paths, '', ...cg.files.map((f) => `${f.file} = ${f.value.replace(/\n/g, ' ')}`)].join('\n')}
        </pre>
      </details>
    </div>
  );
}

export function Overlay({ ov }: { ov: KernelOverlay }) {
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted">upperdir</dt><dd><Mono>{ov.upperDir}</Mono></dd>
        <dt className="text-muted">workdir</dt><dd><Mono>{ov.workDir}</Mono></dd>
        <dt className="text-muted">own writes</dt><dd data-overlay-writes>{formatBytes(ov.writeBytes)}</dd>
      </dl>
      <SimpleTable headers={['#', 'lowerdir', 'Layer (diffID / chainID)', 'Made by', 'Size']} empty="No lower layers."
        rows={ov.lowerDirs.map((l, i) => [
          <span key="i">{ov.lowerDirs.length - i}</span>, <Mono key="d">{l.dir}</Mono>,
          <span key="id" data-overlay-layer={i}><Mono>diffID {l.diffID ?? '(not in the image)'}{'\n'}chainID {l.chainID}</Mono></span>,
          <Mono key="c">{l.createdBy ?? '—'}</Mono>, <span key="s">{formatBytes(l.size)}</span>,
        ])} />
      {ov.mountinfo && (
        <details><summary className="cursor-pointer text-xs text-muted">The root mount in the container&apos;s mountinfo</summary>
          <pre className="mt-2 overflow-x-auto rounded bg-bg p-2 font-mono text-xs whitespace-pre-wrap break-all">{ov.mountinfo}</pre>
        </details>
      )}
    </div>
  );
}
