import type { z } from 'zod';
import type { templateV2Schema } from '../protocol/index.ts';

/** The parts of `GET /containers/{id}/json` a template is made from. */
export interface InspectForTemplate {
  Id: string;
  Name: string;
  Config: { Image: string; Cmd?: string[] | null; Env?: string[] | null; Labels?: Record<string, string> | null; Hostname?: string; Tty?: boolean; OpenStdin?: boolean };
  HostConfig: { PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null; RestartPolicy?: { Name?: string }; Privileged?: boolean; NetworkMode?: string };
  Mounts?: { Type: string; Name?: string; Source?: string; Destination: string; RW?: boolean }[] | null;
}

/** Input of the template parser (it fills defaults and checks every field). */
type TemplateInput = z.input<typeof templateV2Schema>;

const RESTART = new Set(['no', 'always', 'unless-stopped', 'on-failure']);
/** Labels written by compose tools describe the project a container belonged to, not the app. */
const TOOL_LABEL = /^com\.docker\.compose\./;

/** A command as one line, quoted as the container form quotes it (it splits the line back into words). */
function commandLine(cmd: readonly string[]): string {
  return cmd.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * A container template (type 1) describing a container as it was created: image, name,
 * command, environment (less what the image sets itself), published ports, volumes and
 * binds, labels, restart policy, hostname, privileged. The caller parses the result.
 */
export function templateFromInspect(c: InspectForTemplate, imageEnv: readonly string[], extra: { title?: string; description?: string; categories?: string[] }): TemplateInput {
  const name = c.Name.replace(/^\//, '');
  const fromImage = new Set(imageEnv);
  const env = (c.Config.Env ?? []).filter((e) => !fromImage.has(e)).map((e) => {
    const at = e.indexOf('=');
    return at < 0 ? { name: e } : { name: e.slice(0, at), default: e.slice(at + 1) };
  });
  const ports = Object.entries(c.HostConfig.PortBindings ?? {}).flatMap(([port, bindings]) => {
    const spec = port.includes('/') ? port : `${port}/tcp`;
    if (!bindings?.length) return [spec];
    return bindings.map((b) => (b.HostPort ? `${b.HostPort}:${spec}` : spec));
  });
  const volumes = (c.Mounts ?? []).filter((m) => m.Type === 'volume' || m.Type === 'bind').map((m) => ({
    container: m.Destination,
    ...(m.Type === 'bind' && m.Source ? { bind: m.Source } : {}),
    ...(m.RW === false ? { readonly: true } : {}),
  }));
  const labels = Object.entries(c.Config.Labels ?? {}).filter(([k]) => !TOOL_LABEL.test(k)).map(([k, v]) => ({ name: k, value: v }));
  const restart = c.HostConfig.RestartPolicy?.Name || 'no';
  const network = c.HostConfig.NetworkMode;
  const hostname = c.Config.Hostname;
  return {
    type: 1,
    title: extra.title ?? name,
    description: extra.description ?? `Saved from container ${name}`,
    categories: extra.categories ?? [],
    image: c.Config.Image,
    name,
    ...(c.Config.Cmd?.length ? { command: commandLine(c.Config.Cmd) } : {}),
    env,
    ports,
    volumes,
    labels,
    restart_policy: (RESTART.has(restart) ? restart : 'no') as TemplateInput['restart_policy'],
    ...(network && network !== 'default' && network !== 'bridge' ? { network } : {}),
    // Docker names a container's host after its id unless told otherwise.
    ...(hostname && !c.Id.startsWith(hostname) ? { hostname } : {}),
    privileged: c.HostConfig.Privileged ?? false,
    interactive: Boolean(c.Config.Tty && c.Config.OpenStdin),
  };
}
