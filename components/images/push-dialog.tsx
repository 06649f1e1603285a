'use client';

import { useRef, useState, type FormEvent } from 'react';
import { images } from '../api/docker.ts';
import type { ImageSummary } from '../api/docker-types.ts';
import { foldPullProgress, readJsonStream, type LayerProgress } from '../api/progress.ts';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { SelectField, TextField } from '../ui/field.tsx';
import { useToast } from '../ui/toasts.tsx';
import { PullProgress } from './pull-progress.tsx';
import type { PullState } from './use-pull.ts';
import { splitReference } from './reference.ts';

/** The X-Registry-Auth header Docker clients send: base64url JSON, `{}` when anonymous. */
function registryAuth(username: string, password: string, server: string): string {
  const json = username ? JSON.stringify({ username, password, serveraddress: server }) : '{}';
  return btoa(String.fromCharCode(...new TextEncoder().encode(json))).replace(/\+/g, '-').replace(/\//g, '_');
}

/** `docker push` of one of the image's tags, with per-layer progress and optional credentials. */
export function PushDialog({ env, image, onClose }: { env: string; image: ImageSummary; onClose: () => void }) {
  const toast = useToast();
  const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  const [ref, setRef] = useState(tags[0] ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [state, setState] = useState<PullState | null>(null);
  const abort = useRef<AbortController | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { fromImage, tag } = splitReference(ref);
    const controller = new AbortController();
    abort.current = controller;
    let layers = new Map<string, LayerProgress>();
    let status = 'Starting the push…';
    setState({ ref, running: true, layers, status });
    let failure: string | undefined;
    try {
      const server = fromImage.includes('/') && /[.:]|^localhost/.test(fromImage.split('/')[0]!) ? fromImage.split('/')[0]! : 'docker.io';
      const res = await images.push(env, fromImage, tag, registryAuth(username, password, server), controller.signal);
      failure = await readJsonStream(res, (msg) => {
        layers = foldPullProgress(layers, msg);
        if (msg.status && !msg.id) status = msg.status;
        setState({ ref, running: true, layers, status });
      });
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    setState({ ref, running: false, layers, status: failure ? 'Push failed' : status, error: failure });
    if (!failure) toast.success(`Pushed ${ref}`);
  };
  const close = () => {
    abort.current?.abort();
    onClose();
  };

  return (
    <Dialog open onClose={close} title="Push to a registry" wide
      footer={<>
        <Button onClick={close}>{state?.running ? 'Cancel push' : 'Close'}</Button>
        <Button type="submit" form="push-form" variant="primary" busy={state?.running} disabled={!ref}>Push</Button>
      </>}>
      <form id="push-form" onSubmit={submit} noValidate className="space-y-4" data-push-form>
        {tags.length === 0 ? <p className="text-sm text-muted">Tag the image with a registry name first (e.g. registry.example:5000/team/app:1.0).</p> : (
          <SelectField label="Tag to push" name="reference" value={ref} onChange={(e) => setRef(e.target.value)}>
            {tags.map((t) => <option key={t} value={t}>{t}</option>)}
          </SelectField>
        )}
        <div className="grid gap-3 md:grid-cols-2">
          <TextField label="Registry user (optional)" name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
          <TextField label="Password or token" name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
        </div>
        {state && <PullProgress state={state} verb="Pushing" />}
      </form>
    </Dialog>
  );
}
