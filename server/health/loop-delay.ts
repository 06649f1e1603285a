import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay in milliseconds over the recent window, as `/api/health` reports it. */
export interface LoopDelay { p50: number; p99: number; max: number; mean: number; samples: number; windowSeconds: number }

const WINDOW_MS = 30_000;
const RESOLUTION_MS = 10;

/**
 * Watches how late the event loop runs its timers (`perf_hooks.monitorEventLoopDelay`). Two
 * histograms are reset in turn, half a window apart, and the older one is reported: the figures
 * always cover the last 15 to 30 seconds, so a stall shows while it matters and fades after.
 * Nothing here keeps the process alive.
 */
export class LoopDelayMonitor {
  private readonly histograms: [IntervalHistogram, IntervalHistogram] = [monitorEventLoopDelay({ resolution: RESOLUTION_MS }), monitorEventLoopDelay({ resolution: RESOLUTION_MS })];
  private readonly resetAt = [Date.now(), Date.now()];
  private readonly timer: NodeJS.Timeout;
  private next = 0;

  constructor() {
    for (const h of this.histograms) h.enable();
    this.timer = setInterval(() => this.rotate(), WINDOW_MS / 2).unref();
  }

  report(): LoopDelay {
    const older = this.resetAt[0]! <= this.resetAt[1]! ? 0 : 1;
    const h = this.histograms[older];
    // Each sample is the whole interval between two timer turns: the delay is what exceeds the resolution.
    const ms = (ns: number): number => Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100);
    const samples = h.count;
    return {
      p50: samples ? ms(h.percentile(50)) : 0,
      p99: samples ? ms(h.percentile(99)) : 0,
      max: samples ? ms(h.max) : 0,
      mean: samples ? ms(h.mean) : 0,
      samples,
      windowSeconds: Math.round((Date.now() - this.resetAt[older]!) / 1000),
    };
  }

  close(): void {
    clearInterval(this.timer);
    for (const h of this.histograms) h.disable();
  }

  private rotate(): void {
    this.histograms[this.next]!.reset();
    this.resetAt[this.next] = Date.now();
    this.next = 1 - this.next;
  }
}
