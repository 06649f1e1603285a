import { formatBytes } from '../format.ts';
import type { PullState } from './use-pull.ts';

/** One bar per layer with its status and bytes, as `docker pull` and `docker push` show them. */
export function PullProgress({ state, verb = 'Pulling' }: { state: PullState; verb?: string }) {
  const layers = [...state.layers.values()];
  return (
    <div className="space-y-2 text-sm" data-pull-progress>
      <p className={state.error ? 'text-danger' : 'text-muted'} role={state.error ? 'alert' : 'status'}>
        {state.error ? `${verb} ${state.ref} failed: ${state.error}` : `${state.ref}: ${state.status}`}
      </p>
      {layers.length > 0 && (
        <ul className="space-y-1.5">
          {layers.map((l) => {
            const done = /complete|already exists|exists|^pushed$/i.test(l.status);
            const pct = done ? 100 : l.total ? Math.min(100, ((l.current ?? 0) / l.total) * 100) : 0;
            return (
              <li key={l.id} className="grid grid-cols-[7rem_1fr_12rem] items-center gap-2 font-mono text-xs" data-layer={l.id}>
                <span className="truncate">{l.id}</span>
                <span className="h-2 overflow-hidden rounded bg-raised" role="progressbar" aria-valuenow={Math.round(pct)} aria-valuemin={0} aria-valuemax={100} aria-label={`Layer ${l.id}`}>
                  <span className={`block h-2 ${done ? 'bg-success' : 'bg-accent'}`} style={{ width: `${pct}%` }} />
                </span>
                <span className="truncate text-muted">{l.status}{l.total && !done ? ` ${formatBytes(l.current ?? 0)} / ${formatBytes(l.total)}` : ''}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
