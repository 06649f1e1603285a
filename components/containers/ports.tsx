import type { Port } from '../api/docker-types.ts';
import { portUrl } from './port-url.ts';

/** Published TCP ports as links to http://<dashboard host>:<port>/; UDP and unpublished ones as text. */
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
      {published.slice(0, max).map((p) => {
        const label = `${p.PublicPort}:${p.PrivatePort}${p.Type === 'tcp' ? '' : `/${p.Type}`}`;
        const title = `${p.IP ?? '0.0.0.0'}:${p.PublicPort} → ${p.PrivatePort}/${p.Type}`;
        const href = portUrl(host, p.PublicPort, p.Type);
        return href
          ? <a key={`${p.IP}:${p.PublicPort}/${p.Type}`} href={href} target="_blank" rel="noreferrer noopener" className="text-accent hover:underline" title={title} data-port-link={p.PublicPort}>{label}</a>
          : <span key={`${p.IP}:${p.PublicPort}/${p.Type}`} title={title} className="text-muted">{label}</span>;
      })}
      {published.length > max && <span className="text-muted">+{published.length - max}</span>}
    </span>
  );
}
