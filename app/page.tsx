// Engine data changes all the time; render on every request.
export const dynamic = 'force-dynamic';

/** The fields of GET /api/engine/info (Docker's SystemInfo) that this page shows. */
interface EngineInfo {
  Name: string;
  ServerVersion: string;
  OperatingSystem: string;
  KernelVersion: string;
  NCPU: number;
  MemTotal: number;
  CgroupVersion: string;
  CgroupDriver: string;
  ContainersRunning: number;
  ContainersStopped: number;
  ContainersPaused: number;
  Images: number;
}

type Loaded = { info: EngineInfo } | { error: string };

async function loadEngineInfo(): Promise<Loaded> {
  // The server sets WHARF_INTERNAL_ORIGIN once it listens; the fallback serves a default setup.
  const origin = process.env.WHARF_INTERNAL_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? 9000}`;
  try {
    const res = await fetch(`${origin}/api/engine/info`, { cache: 'no-store' });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      return { error: `the engine answered ${res.status}${body.message ? `: ${body.message}` : ''}` };
    }
    return { info: (await res.json()) as EngineInfo };
  } catch (err) {
    return { error: `cannot reach the engine API: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export default async function HomePage() {
  const loaded = await loadEngineInfo();
  return (
    <main>
      <h1>Wharf</h1>
      <p className="subtitle">The embedded container engine{'info' in loaded ? ` on ${loaded.info.Name}` : ''}</p>
      {'info' in loaded ? <Facts info={loaded.info} /> : <p className="error" role="alert">{loaded.error}</p>}
    </main>
  );
}

function Facts({ info }: { info: EngineInfo }) {
  const facts: Array<[string, string]> = [
    ['Version', info.ServerVersion],
    ['Operating system', info.OperatingSystem],
    ['Kernel', info.KernelVersion],
    ['CPUs', String(info.NCPU)],
    ['Memory', formatBytes(info.MemTotal)],
    ['Cgroups', `v${info.CgroupVersion} (${info.CgroupDriver})`],
    ['Containers running', String(info.ContainersRunning)],
    ['Containers stopped', String(info.ContainersStopped)],
    ['Containers paused', String(info.ContainersPaused)],
    ['Images', String(info.Images)],
  ];
  return (
    <dl className="facts">
      {facts.map(([label, value]) => (
        <div className="fact" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
