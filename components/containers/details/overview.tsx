import type { ContainerInspect } from '../../api/docker-types.ts';
import { formatBytes, formatDate, shortId } from '../../format.ts';
import { Badge } from '../../ui/badge.tsx';
import { KeyValueTable, ResourceDetails, SimpleTable } from '../../ui/resource-details.tsx';
import { ContainerNetworks } from '../../networks/container-networks.tsx';
import { portUrl } from '../port-url.ts';
import { HealthBadge, HealthProbes } from './health.tsx';

function splitEnv(env: string[] | null | undefined): [string, string][] {
  return (env ?? []).map((e) => {
    const at = e.indexOf('=');
    return at < 0 ? [e, ''] : [e.slice(0, at), e.slice(at + 1)];
  });
}

function quote(args: string[] | null | undefined): string {
  return (args ?? []).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function ContainerOverview({ c, host }: { c: ContainerInspect; host: string }) {
  const s = c.State;
  const h = c.HostConfig;
  const restart = h.RestartPolicy?.Name || 'no';
  const ports = Object.entries(c.NetworkSettings.Ports ?? {});
  return (
    <ResourceDetails sections={[
      {
        title: 'State',
        rows: [
          ['Status', <Badge key="s" tone={s.Running ? 'success' : s.ExitCode ? 'danger' : 'neutral'}>{s.Status}</Badge>],
          ['Exit code', s.Running ? '—' : String(s.ExitCode)],
          ['OOM killed', s.OOMKilled ? <Badge key="o" tone="danger">yes</Badge> : 'no'],
          ['Restart count', String(c.RestartCount)],
          ['Health', <HealthBadge key="h" health={s.Health} />],
          ['Started', formatDate(s.StartedAt)],
          ['Finished', s.Running ? '—' : formatDate(s.FinishedAt)],
          ['PID', s.Pid ? String(s.Pid) : '—'],
          ...(s.Error ? [['Error', <span key="e" className="text-danger">{s.Error}</span>] as [string, React.ReactNode]] : []),
        ],
      },
      {
        title: 'Configuration',
        rows: [
          ['ID', <span key="id" className="font-mono text-xs break-all">{c.Id}</span>],
          ['Image', <span key="i">{c.Config.Image} <span className="font-mono text-xs text-muted">{shortId(c.Image)}</span></span>],
          ['Created', formatDate(c.Created)],
          ['Command', <code key="c" className="font-mono text-xs">{quote([c.Path, ...c.Args])}</code>],
          ['Entrypoint', c.Config.Entrypoint?.length ? <code key="ep" className="font-mono text-xs">{quote(c.Config.Entrypoint)}</code> : '—'],
          ['Working dir', c.Config.WorkingDir || '—'],
          ['User', c.Config.User || 'image default'],
          ['Hostname', c.Config.Hostname || '—'],
          ['Restart policy', restart === 'on-failure' ? `on-failure (max ${h.RestartPolicy?.MaximumRetryCount ?? 0})` : restart],
          ['TTY / stdin', `${c.Config.Tty ? 'tty' : 'no tty'}, ${c.Config.OpenStdin ? 'interactive' : 'no stdin'}`],
          ['Auto-remove', h.AutoRemove ? 'yes' : 'no'],
        ],
      },
      {
        title: 'Limits',
        rows: [
          ['Memory', h.Memory ? formatBytes(h.Memory) : 'unlimited'],
          ['Memory reservation', h.MemoryReservation ? formatBytes(h.MemoryReservation) : 'none'],
          ['Memory + swap', h.MemorySwap && h.MemorySwap > 0 ? formatBytes(h.MemorySwap) : h.MemorySwap === -1 ? 'unlimited swap' : 'default'],
          ['CPUs', h.NanoCpus ? String(h.NanoCpus / 1e9) : 'unlimited'],
          ['CPU shares', h.CpuShares ? String(h.CpuShares) : 'default'],
          ['CPU set', h.CpusetCpus || 'all'],
          ['PIDs limit', h.PidsLimit && h.PidsLimit > 0 ? String(h.PidsLimit) : 'unlimited'],
        ],
      },
      ...(s.Health ? [{ title: 'Health checks', wide: true, content: <HealthProbes health={s.Health} /> }] : []),
      { title: 'Networks', wide: true, content: <ContainerNetworks c={c} /> },
      {
        title: 'Ports',
        content: (
          <SimpleTable headers={['Container port', 'Published on']}
            rows={ports.map(([port, bindings]) => [
              port,
              bindings?.length ? (
                <span key="b" className="flex flex-wrap gap-2">
                  {bindings.map((b) => {
                    const href = portUrl(host, b.HostPort, port.split('/')[1]);
                    const label = `${b.HostIp || '0.0.0.0'}:${b.HostPort}`;
                    return href
                      ? <a key={label} href={href} target="_blank" rel="noreferrer noopener" className="text-accent hover:underline" data-port-link={b.HostPort}>{label}</a>
                      : <span key={label}>{label}</span>;
                  })}
                </span>
              ) : <span key="n" className="text-muted">not published</span>,
            ])} />
        ),
      },
      {
        title: 'Mounts',
        content: (
          <SimpleTable headers={['Type', 'Source', 'Destination', 'Mode']}
            rows={c.Mounts.map((m) => [m.Type, <span key="s" className="font-mono text-xs">{m.Name ?? m.Source}</span>, <span key="d" className="font-mono text-xs">{m.Destination}</span>, m.RW ? 'read-write' : 'read-only'])} />
        ),
      },
      { title: 'Environment', wide: true, content: <KeyValueTable entries={splitEnv(c.Config.Env)} /> },
      { title: 'Labels', wide: true, content: <KeyValueTable entries={Object.entries(c.Config.Labels ?? {})} keyHeader="Label" /> },
    ]} />
  );
}
