/** A port (`80`) or a range (`8000-8010`) as typed in the ports section. */
export interface PortRange { start: number; end: number }

const PORT = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** The range, or undefined when the text is not one port or range of 1–65535 (a reversed range included). */
export function parseRange(text: string): PortRange | undefined {
  const m = PORT.exec(text.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start < 1 || end > 65535 || end < start) return undefined;
  return { start, end };
}

/** Why a port field is refused, for its own message: reversed ranges are named as such. */
export function portProblem(text: string, required: boolean): string | undefined {
  const t = text.trim();
  if (t === '') return required ? 'the container port is required' : undefined;
  const m = PORT.exec(t);
  if (!m) return 'a port from 1 to 65535 or a range like 8000-8010';
  const [start, end] = [Number(m[1]), m[2] === undefined ? Number(m[1]) : Number(m[2])];
  if (start < 1 || start > 65535 || end < 1 || end > 65535) return 'ports are from 1 to 65535';
  if (end < start) return `the range is reversed: ${end}-${start}`;
  return undefined;
}

export const rangeSize = (r: PortRange): number => r.end - r.start + 1;
