/** One entry of a layer diff, as the analysis needs it. */
export interface LayerEntry { path: string; size: number; kind: 'file' | 'dir' | 'link' | 'whiteout' | 'opaque' }

/** A history step: its instruction and, for steps that made a layer, that layer's entries. */
export interface StepListing { createdBy: string; layer?: { size: number; entries: LayerEntry[] } }

export interface SizeHints {
  layers: number;
  /** Uncompressed bytes of all layers. */
  size: number;
  largest: { layer: number; size: number; createdBy: string }[];
  /** Runs of consecutive RUN steps (history indexes) that one RUN could do, with one layer. */
  chainableRuns: { steps: number[]; commands: string[] }[];
  /** Package-manager caches a layer still carries. */
  caches: { layer: number; createdBy: string; manager: string; path: string; size: number }[];
  /** Files a layer adds that a later layer deletes: still shipped, never visible. */
  wasted: { path: string; size: number; addedBy: string; deletedBy: string }[];
  wastedBytes: number;
}

const CACHES: [string, RegExp][] = [
  ['apt lists', /^(var\/lib\/apt\/lists)\/(?!lock$|partial$)/],
  ['apt archives', /^(var\/cache\/apt)\//],
  ['apk', /^(var\/cache\/apk)\//],
  ['pip', /^(.*?\.cache\/pip)\//],
  ['npm', /^(.*?\.npm\/_cacache)\//],
  ['yarn', /^(.*?\.cache\/yarn)\//],
  ['dnf/yum', /^(var\/cache\/(?:dnf|yum))\//],
];
const LARGEST = 3;
const SHOWN = 10;

export const isRun = (createdBy: string): boolean => !createdBy.includes('#(nop)') && !/^(COPY|ADD|WORKDIR|ENV|LABEL|CMD|ARG) /.test(createdBy);

/** The hints, from the diffs already stored: no container, no unpacked tree needed. */
export function analyze(steps: StepListing[]): SizeHints {
  const withLayer = steps.map((s, i) => ({ ...s, i })).filter((s) => s.layer);
  const largest = withLayer.map((s, n) => ({ layer: n, size: s.layer!.size, createdBy: s.createdBy }))
    .sort((a, b) => b.size - a.size).slice(0, LARGEST);

  const chainableRuns: SizeHints['chainableRuns'] = [];
  let run: number[] = [];
  const flush = (): void => {
    if (run.length > 1) chainableRuns.push({ steps: run, commands: run.map((i) => steps[i]!.createdBy) });
    run = [];
  };
  steps.forEach((s, i) => (isRun(s.createdBy) ? run.push(i) : flush()));
  flush();

  const caches = new Map<string, SizeHints['caches'][number]>();
  const live = new Map<string, { size: number; addedBy: string }>();
  const wasted: SizeHints['wasted'] = [];
  const drop = (prefix: string, deletedBy: string, self: boolean): void => {
    for (const [p, f] of live) {
      if ((self && p === prefix) || p.startsWith(`${prefix}/`) || prefix === '') {
        live.delete(p);
        if (f.size > 0) wasted.push({ path: `/${p}`, size: f.size, addedBy: f.addedBy, deletedBy });
      }
    }
  };
  withLayer.forEach((s, n) => {
    for (const e of s.layer!.entries) {
      if (e.kind === 'whiteout') drop(e.path, s.createdBy, true);
      else if (e.kind === 'opaque') drop(e.path, s.createdBy, false);
      else if (e.kind === 'file') {
        live.set(e.path, { size: e.size, addedBy: s.createdBy });
        for (const [manager, re] of CACHES) {
          const m = re.exec(e.path);
          if (!m) continue;
          const key = `${n}\0${m[1]}`;
          const c = caches.get(key) ?? { layer: n, createdBy: s.createdBy, manager, path: `/${m[1]!}`, size: 0 };
          c.size += e.size;
          caches.set(key, c);
          break;
        }
      }
    }
  });
  wasted.sort((a, b) => b.size - a.size);
  return {
    layers: withLayer.length,
    size: withLayer.reduce((t, s) => t + s.layer!.size, 0),
    largest,
    chainableRuns,
    caches: [...caches.values()].filter((c) => c.size > 0).sort((a, b) => b.size - a.size).slice(0, SHOWN),
    wasted: wasted.slice(0, SHOWN),
    wastedBytes: wasted.reduce((t, w) => t + w.size, 0),
  };
}

function human(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${i ? n.toFixed(n < 10 ? 2 : 1) : n}${units[i]}`;
}

const step = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** The lines a build prints after `Successfully built`. */
export function hintLines(h: SizeHints): string[] {
  const out = [`Size hints: ${h.layers} layer${h.layers === 1 ? '' : 's'}, ${human(h.size)}`];
  for (const l of h.largest) out.push(`  largest layer: ${human(l.size)}  ${step(l.createdBy)}`);
  for (const r of h.chainableRuns) out.push(`  ${r.steps.length} consecutive RUN steps could be chained into one layer: ${r.commands.map(step).join(' && ')}`);
  for (const c of h.caches) out.push(`  ${c.manager} cache left in a layer: ${c.path} (${human(c.size)})  ${step(c.createdBy)}`);
  if (h.wastedBytes) {
    out.push(`  ${human(h.wastedBytes)} added and deleted in a later layer (still shipped):`);
    for (const w of h.wasted) out.push(`    ${w.path} (${human(w.size)}) added by ${step(w.addedBy)}, deleted by ${step(w.deletedBy)}`);
  }
  return out;
}
