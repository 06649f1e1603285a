import type { Port } from '../api/docker-types.ts';
import { portHost } from './status.ts';

/** Published ports as links (http://host:port); unpublished ones as plain text. */
export function PortLinks({ ports, host, max = 3 }: { ports: Port[]; host: string; max?: number }) {
  const seen = new Set<string>();
  const published = ports.filter((p) => {
    if (!p.PublicPort) return false;
    // IPv4 and IPv6 bindings of the same port are one link.
    const key = `${p.PublicPort}/${p.PrivatePort}/${p.Type}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (published.length === 0) return <span className="text-muted">—</span>;
  return (
    <span className="flex gap-1.5 overflow-hidden">
      {published.slice(0, max).map((p) => (
        <a key={`${p.IP}:${p.PublicPort}/${p.Type}`} href={`http://${portHost(p.IP, host)}:${p.PublicPort}`} target="_blank" rel="noreferrer noopener"
          className="text-accent hover:underline" title={`${p.IP ?? '0.0.0.0'}:${p.PublicPort} → ${p.PrivatePort}/${p.Type}`} data-port-link={p.PublicPort}>
          {p.PublicPort}:{p.PrivatePort}{p.Type === 'tcp' ? '' : `/${p.Type}`}
        </a>
      ))}
      {published.length > max && <span className="text-muted">+{published.length - max}</span>}
    </span>
  );
}
