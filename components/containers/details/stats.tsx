'use client';

import { useEffect, useState } from 'react';
import type { StatsSample } from '@/server/protocol/index.ts';
import { UPlotChart } from '../../charts/uplot-chart.tsx';
import { formatBytes, formatDecimalBytes, formatPercent } from '../../format.ts';
import { useRealtime } from '../../realtime/provider.tsx';
import { ErrorBox } from '../../ui/layout.tsx';

const WINDOW = 120;
const MiB = 1024 * 1024;

interface Series { time: number[]; cpu: number[]; mem: number[]; rx: number[]; tx: number[]; read: number[]; write: number[] }

const emptySeries = (): Series => ({ time: [], cpu: [], mem: [], rx: [], tx: [], read: [], write: [] });

/** Live charts of the last two minutes and the numbers `docker stats` prints. */
export function ContainerStats({ env, container, running, memoryLimit }: { env: string; container: string; running: boolean; memoryLimit?: number }) {
  const realtime = useRealtime();
  const [latest, setLatest] = useState<StatsSample>();
  const [series, setSeries] = useState<Series>(emptySeries);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (!realtime || !running) return;
    setSeries(emptySeries());
    setProblem(undefined);
    let previous: StatsSample | undefined;
    return realtime.subscribe('stats', () => ({ env, container }), {
      onMessage: (sample) => {
        const prev = previous;
        previous = sample;
        setLatest(sample);
        const t = Date.parse(sample.time) / 1000 || Date.now() / 1000;
        const dt = prev ? Math.max(t - (Date.parse(prev.time) / 1000 || t - 1), 0.001) : 1;
        // Counters are cumulative; the charts show rates.
        const rate = (now: number, before: number | undefined) => (before === undefined ? 0 : Math.max(0, now - before) / dt);
        setSeries((s) => {
          const push = (arr: number[], v: number) => [...arr.slice(-(WINDOW - 1)), v];
          return {
            time: push(s.time, t),
            cpu: push(s.cpu, sample.cpuPercent),
            mem: push(s.mem, sample.memUsage),
            rx: push(s.rx, rate(sample.netRx, prev?.netRx)),
            tx: push(s.tx, rate(sample.netTx, prev?.netTx)),
            read: push(s.read, rate(sample.blockRead, prev?.blockRead)),
            write: push(s.write, rate(sample.blockWrite, prev?.blockWrite)),
          };
        });
      },
      onEnd: (reason) => setProblem(`The stats stream ended${reason ? `: ${reason}` : ''}.`),
      onError: (message) => setProblem(message),
    });
  }, [realtime, env, container, running]);

  if (!running) return <p className="text-sm text-muted">The container is not running, so it has no live stats.</p>;
  return (
    <div className="space-y-4" data-stats>
      {problem && <ErrorBox error={problem} />}
      <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-3 xl:grid-cols-6">
        <Number label="CPU %" value={formatPercent(latest?.cpuPercent)} />
        <Number label="Mem usage / limit" value={latest ? `${formatBytes(latest.memUsage)} / ${formatBytes(latest.memLimit)}` : '—'} />
        <Number label="Mem %" value={formatPercent(latest?.memPercent)} />
        <Number label="Net I/O" value={latest ? `${formatDecimalBytes(latest.netRx)} / ${formatDecimalBytes(latest.netTx)}` : '—'} />
        <Number label="Block I/O" value={latest ? `${formatDecimalBytes(latest.blockRead)} / ${formatDecimalBytes(latest.blockWrite)}` : '—'} />
        <Number label="PIDs" value={latest ? String(latest.pids) : '—'} />
      </dl>
      <div className="grid gap-4 xl:grid-cols-2">
        <UPlotChart title="CPU %" series={[{ label: 'CPU', color: '#3b78d8', fill: true }]} data={[series.time, series.cpu]} format={(v) => `${v.toFixed(1)}%`} minTop={5} />
        <UPlotChart title="Memory" series={[{ label: 'usage', color: '#b054c2', fill: true }]} data={[series.time, series.mem]} format={formatBytes} minTop={MiB}
          yMax={memoryLimit || undefined} />
        <UPlotChart title="Network (per second)" series={[{ label: 'received', color: '#3f9a3d' }, { label: 'sent', color: '#d0453a' }]}
          data={[series.time, series.rx, series.tx]} format={(v) => `${formatDecimalBytes(v)}/s`} minTop={1000} />
        <UPlotChart title="Block I/O (per second)" series={[{ label: 'read', color: '#1e9aa8' }, { label: 'written', color: '#b58900' }]}
          data={[series.time, series.read, series.write]} format={(v) => `${formatDecimalBytes(v)}/s`} minTop={1000} />
      </div>
    </div>
  );
}

function Number({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-md border border-line bg-panel px-3 py-2">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="font-mono text-sm tabular-nums" data-stat-value={label}>{value}</dd>
    </div>
  );
}
