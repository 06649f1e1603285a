'use client';

import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';

export interface ChartSeries { label: string; color: string; fill?: boolean }

/**
 * A live time-series chart on uPlot (canvas, cheap to redraw every second). `data` is
 * [times in unix seconds, ...one array per series]; `format` labels the y axis and legend.
 */
export function UPlotChart({ title, series, data, format, height = 180, yMax, minTop = 1, windowSeconds = 120 }: {
  title: string;
  series: ChartSeries[];
  data: number[][];
  format: (v: number) => string;
  height?: number;
  /** A fixed top of the y range (e.g. the memory limit); otherwise it follows the data. */
  yMax?: number;
  /** The y range reaches at least this high, so an idle series is a flat line at the bottom. */
  minTop?: number;
  /** The x axis always spans this much time, ending at the latest sample. */
  windowSeconds?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ data, format, yMax, minTop, windowSeconds });
  latest.current = { data, format, yMax, minTop, windowSeconds };
  const seriesRef = useRef(series);
  seriesRef.current = series;
  const seriesKey = series.map((s) => `${s.label}:${s.color}`).join('|');

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import('uplot').then(({ default: UPlot }) => {
      if (disposed || !box.current) return;
      const el = box.current;
      const styles = getComputedStyle(document.documentElement);
      const muted = styles.getPropertyValue('--wharf-muted').trim() || '#888';
      const grid = styles.getPropertyValue('--wharf-line').trim() || '#ddd';
      const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      const options: uPlot.Options = {
        width: el.clientWidth || 400,
        height,
        legend: { show: true, live: true },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true, range: (_u, _min, max) => [max - latest.current.windowSeconds, max] },
          y: { range: (_u, _min, max) => [0, Math.max(latest.current.yMax ?? 0, latest.current.minTop, max) * 1.05] },
        },
        axes: [axis, { ...axis, size: 70, values: (_u, ticks) => ticks.map((t) => latest.current.format(t)) }],
        series: [
          {},
          ...seriesRef.current.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            fill: s.fill ? `${s.color}22` : undefined,
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : latest.current.format(v)),
          })),
        ],
      };
      plot.current = new UPlot(options, latest.current.data as uPlot.AlignedData, el);
      observer = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height }));
      observer.observe(el);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [seriesKey, height]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return (
    <figure className="min-w-0 rounded-md border border-line bg-panel p-3">
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      <div ref={box} className="w-full" />
    </figure>
  );
}
