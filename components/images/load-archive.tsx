'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { messageOf } from '../api/client.ts';
import { images } from '../api/docker.ts';
import { readJsonStream } from '../api/progress.ts';
import { qk } from '../query-keys.ts';
import { Button } from '../ui/button.tsx';
import { useToast } from '../ui/toasts.tsx';

/** `docker load`: POST /images/load with a .tar from `docker save` (one or several images, or an OCI layout archive). */
export function LoadArchive({ env }: { env: string }) {
  const input = useRef<HTMLInputElement>(null);
  const client = useQueryClient();
  const toast = useToast();
  const [busy, setBusy] = useState(false);

  const load = async (file: File) => {
    setBusy(true);
    try {
      const res = await images.load(env, file);
      const loaded: string[] = [];
      const failure = await readJsonStream(res, (msg) => {
        const text = msg.stream ?? msg.status;
        if (text && /Loaded image/.test(text)) loaded.push(text.trim());
      });
      if (failure) toast.error(`Loading ${file.name} failed: ${failure}`);
      else toast.success(loaded.length ? loaded.join('\n') : `Loaded ${file.name}`);
    } catch (err) {
      toast.error(`Loading ${file.name} failed: ${messageOf(err)}`);
    } finally {
      setBusy(false);
      void client.invalidateQueries({ queryKey: qk.images(env) });
    }
  };

  return (
    <>
      <input ref={input} type="file" accept=".tar,application/x-tar" className="hidden" aria-label="Image archive to load"
        onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void load(f); }} data-load-input />
      <Button onClick={() => input.current?.click()} busy={busy} data-load-open>Load</Button>
    </>
  );
}
