'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { images } from '../api/docker.ts';
import { foldPullProgress, readJsonStream, type LayerProgress } from '../api/progress.ts';
import { qk } from '../query-keys.ts';
import { splitReference } from './reference.ts';

export interface PullState {
  ref: string;
  running: boolean;
  layers: Map<string, LayerProgress>;
  /** The last message about the image as a whole ("Digest: …", "Status: Downloaded newer image …"). */
  status: string;
  error?: string;
}

/** POST /images/create with its progress stream folded into per-layer state. */
export function usePull(env: string) {
  const client = useQueryClient();
  const [state, setState] = useState<PullState | null>(null);
  const abort = useRef<AbortController | null>(null);

  const pull = useCallback(async (ref: string): Promise<boolean> => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    let layers = new Map<string, LayerProgress>();
    let status = 'Starting the pull…';
    setState({ ref, running: true, layers, status });
    let failure: string | undefined;
    try {
      const { fromImage, tag } = splitReference(ref);
      const res = await images.pull(env, fromImage, tag, controller.signal);
      let frame = 0;
      failure = await readJsonStream(res, (msg) => {
        layers = foldPullProgress(layers, msg);
        // Messages without a layer id (or "Pulling from …") are about the image as a whole.
        if (msg.status && (!msg.id || /^Pulling from /.test(msg.status))) status = msg.status;
        // Progress messages come many per frame; render at most once per frame.
        if (!frame) {
          frame = requestAnimationFrame(() => {
            frame = 0;
            setState({ ref, running: true, layers, status });
          });
        }
      });
      if (frame) cancelAnimationFrame(frame);
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    setState({ ref, running: false, layers, status: failure ? 'Pull failed' : status, error: failure });
    void client.invalidateQueries({ queryKey: qk.images(env) });
    return !failure;
  }, [env, client]);

  const cancel = useCallback(() => abort.current?.abort(), []);
  return { pull, cancel, state, reset: () => setState(null) };
}
