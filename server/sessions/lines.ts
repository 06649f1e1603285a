import { StringDecoder } from 'node:string_decoder';

/**
 * Splits one output stream into lines, decoding UTF-8 across reads. A line still without
 * its newline can be taken out with `takePartial` (a prompt, a progress bar), so it is
 * shown rather than held back until the next newline.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  push(data: Buffer): string[] {
    const text = this.partial + this.decoder.write(data);
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    return lines.map(stripCR);
  }

  takePartial(): string | undefined {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest === '' ? undefined : stripCR(rest);
  }

  hasPartial(): boolean {
    return this.partial !== '';
  }
}

/** TTY output ends its lines with CRLF; the CR is not part of the text. */
function stripCR(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?/;

/** Splits the engine's `timestamps=1` prefix from a line; a line without one gets time ''. */
export function splitTimestamp(line: string): { time: string; text: string } {
  const m = TIMESTAMP.exec(line);
  return m ? { time: m[1]!, text: line.slice(m[0].length) } : { time: '', text: line };
}
