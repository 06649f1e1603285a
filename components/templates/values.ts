import type { AppTemplate, TemplateEnv } from '@/server/protocol/index.ts';
import { emptyValues, type CreateValues, type PortRow, type VolumeRow } from '../containers/create/schema.ts';

/** A template's port (`[host:]container[/proto]`) as a row of the create form; no host port means a free one. */
export function portRow(spec: string): PortRow {
  const [ports, proto] = spec.split('/');
  const at = ports!.lastIndexOf(':');
  return { hostIp: '', host: at < 0 ? '' : ports!.slice(0, at), container: ports!.slice(at + 1), protocol: proto === 'udp' ? 'udp' : 'tcp' };
}

/** The value an env field starts with: the select's default option, else its first, else the default text. */
export function initialEnvValue(e: TemplateEnv): string {
  if (e.select) return (e.select.find((o) => o.default) ?? e.select[0]!).value;
  return e.default ?? '';
}

/** The create form's values for a container template (env is edited apart, through the template's fields). */
export function valuesFromTemplate(t: AppTemplate): CreateValues {
  const volumes: VolumeRow[] = t.volumes.map((v) => ({ type: v.bind ? 'bind' : 'volume', source: v.bind ?? '', target: v.container, readOnly: v.readonly ?? false }));
  return {
    ...emptyValues(),
    image: t.registry && !t.image!.startsWith(`${t.registry}/`) ? `${t.registry}/${t.image}` : t.image!,
    name: t.name ?? '',
    cmd: t.command ?? '',
    labels: t.labels.map((l) => ({ key: l.name, value: l.value })),
    ports: t.ports.map(portRow),
    volumes,
    network: t.network || 'bridge',
    hostname: t.hostname ?? '',
    restart: t.restart_policy,
    interactive: t.interactive,
    tty: t.interactive,
  };
}

/** A note is HTML in Portainer's catalogues; it is shown as text: tags dropped, common entities decoded. */
export function noteText(note: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
  return note.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => entities[e]!);
}

/** The URL the browser loads a logo from: our own files, or the server's proxy for remote ones. */
export function logoSrc(logo: string | undefined): string {
  if (!logo) return '/templates/fallback.svg';
  if (logo.startsWith('/') && !logo.startsWith('//')) return logo;
  if (/^https?:\/\//i.test(logo)) return `/api/templates/logo?url=${encodeURIComponent(logo)}`;
  return '/templates/fallback.svg';
}
