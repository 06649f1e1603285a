'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { qk } from '../query-keys.ts';
import { Button } from '../ui/button.tsx';
import { ErrorBox } from '../ui/layout.tsx';
import { stacks } from './api.ts';

/** The merged logs of all services in time order, or of one. */
export function StackLogs({ name, services }: { name: string; services: string[] }) {
  const [service, setService] = useState('');
  const logs = useQuery({ queryKey: [...qk.stack(name), 'logs', service], queryFn: () => stacks.logs(name, service) });
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2 text-sm">
        <label htmlFor="stack-log-service">Service</label>
        <select id="stack-log-service" value={service} onChange={(e) => setService(e.target.value)} className="h-8 rounded-md border border-line bg-bg px-2">
          <option value="">all</option>
          {services.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <Button size="sm" onClick={() => void logs.refetch()} busy={logs.isFetching}>Refresh</Button>
      </div>
      {logs.error && <ErrorBox error={logs.error} what="logs" />}
      <pre className="max-h-96 overflow-auto rounded-md bg-bg p-2 font-mono text-xs" data-stack-logs>
        {logs.data?.lines.map((l) => `${l.service.padEnd(12)} | ${l.text}`).join('\n')}
      </pre>
    </div>
  );
}
