import type { Engine, ExecSession } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';

/**
 * Live exec sessions per engine, so `POST /exec/{id}/resize` reaches the terminal of an exec
 * that `POST /exec/{id}/start` is streaming; and the console size asked for at create.
 */
interface ExecState { sessions: Map<string, ExecSession>; consoleSize: Map<string, [number, number]> }

const byEngine = new WeakMap<Engine, ExecState>();

export function execState(engine: Engine): ExecState {
  let s = byEngine.get(engine);
  if (!s) byEngine.set(engine, (s = { sessions: new Map(), consoleSize: new Map() }));
  return s;
}

/** `[height, width]`, both positive integers, or undefined when absent. */
export function parseConsoleSize(v: unknown, field: string): [number, number] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isInteger(n) && n >= 0)) {
    throw badRequest(`${field}: must be [height, width]`);
  }
  return [v[0] as number, v[1] as number];
}
