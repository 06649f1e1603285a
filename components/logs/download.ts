import { containers } from '../api/docker.ts';
import { demultiplex } from '../api/stdcopy.ts';

/** Saves a Blob under `filename` through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The whole log from the engine (not only the viewer's buffer), as a text file. */
export async function downloadLog(env: string, container: string, name: string, tty: boolean, timestamps: boolean): Promise<void> {
  const res = await containers.logs(env, container, { timestamps });
  const bytes = new Uint8Array(await res.arrayBuffer());
  // Without a TTY the engine multiplexes stdout and stderr into frames.
  const text = tty ? bytes : demultiplex(bytes);
  saveBlob(new Blob([text as BlobPart], { type: 'text/plain' }), `${name}.log`);
}
