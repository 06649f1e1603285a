'use client';

import { useQuery } from '@tanstack/react-query';
import type { Environment } from '@/server/protocol/index.ts';
import { api } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { useEnv, useSetEnv } from './env.tsx';

export function useEnvironments() {
  return useQuery({ queryKey: qk.environments(), queryFn: () => api<Environment[]>('/api/environments') });
}

export function EnvSwitcher() {
  const env = useEnv();
  const setEnv = useSetEnv();
  const { data, error } = useEnvironments();
  const options = data ?? [];
  const known = options.some((e) => e.id === env);
  return (
    <div className="px-2">
      <label htmlFor="env-switcher" className="mb-1 block text-[11px] font-medium tracking-wide text-muted uppercase">Environment</label>
      <select id="env-switcher" value={env} onChange={(e) => setEnv(e.target.value)} data-env-switcher
        className="h-8 w-full rounded-md border border-line bg-bg px-2 text-sm" title={error ? `Cannot list environments: ${error.message}` : undefined}>
        {!known && <option value={env}>{env}</option>}
        {options.map((e) => (
          <option key={e.id} value={e.id}>{e.name}{e.status === 'down' ? ' (down)' : ''}</option>
        ))}
      </select>
    </div>
  );
}
