'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/client.ts';
import { images } from '../api/docker.ts';
import { readJsonStream } from '../api/progress.ts';
import { makeTar } from '../api/tar.ts';
import { stripAnsi } from '../logs/ansi.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { Button } from '../ui/button.tsx';
import { Checkbox, TextAreaField, TextField } from '../ui/field.tsx';
import { Card, PageHeader } from '../ui/layout.tsx';
import { useToast } from '../ui/toasts.tsx';
import { REFERENCE } from './reference.ts';

const SAMPLE = `FROM busybox:latest
RUN echo "built by Wharf" > /greeting
CMD ["cat", "/greeting"]
`;

/** POST /build from a Dockerfile typed here or an uploaded context tar, with the log streamed. */
export function BuildImage() {
  const env = useEnv();
  const toast = useToast();
  const client = useQueryClient();
  const [source, setSource] = useState<'editor' | 'upload'>('editor');
  const [dockerfile, setDockerfile] = useState(SAMPLE);
  const [context, setContext] = useState<File | null>(null);
  const [dockerfilePath, setDockerfilePath] = useState('Dockerfile');
  const [tag, setTag] = useState('');
  const [nocache, setNocache] = useState(false);
  const [pull, setPull] = useState(false);
  const [target, setTarget] = useState('');
  const [buildArgs, setBuildArgs] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [log, setLog] = useState<string[]>([]);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const logEnd = useRef<HTMLDivElement>(null);

  // Braces matter: newer browsers return a Promise from scrollIntoView, and React would take it for a cleanup.
  useEffect(() => { logEnd.current?.scrollIntoView({ block: 'end' }); }, [log]);
  useEffect(() => () => abort.current?.abort(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (tag.trim() && !REFERENCE.test(tag.trim())) found.tag = 'a name with an optional tag, e.g. myapp:1.0';
    if (source === 'editor' && !/^\s*(#.*\n\s*)*(ARG|FROM)\b/im.test(dockerfile)) found.dockerfile = 'a Dockerfile starts with FROM (or ARG before FROM)';
    if (source === 'upload' && !context) found.context = 'choose a .tar (optionally gzipped) with the build context';
    const args = buildArgs.split('\n').map((l) => l.trim()).filter(Boolean);
    if (args.some((a) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a))) found.buildArgs = 'one NAME=value per line';
    setErrors(found);
    if (Object.keys(found).length) return;
    const body = source === 'editor' ? makeTar([{ name: 'Dockerfile', data: dockerfile }]) : context!;
    abort.current = new AbortController();
    setBusy(true);
    setLog([]);
    setOutcome(null);
    let imageId: string | undefined;
    try {
      const res = await images.build(env, body, {
        t: tag.trim() || undefined, dockerfile: source === 'editor' ? 'Dockerfile' : dockerfilePath, nocache: nocache || undefined, pull: pull || undefined,
        target: target.trim() || undefined,
        buildargs: args.length ? JSON.stringify(Object.fromEntries(args.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]))) : undefined,
      }, abort.current.signal);
      const failure = await readJsonStream(res, (msg) => {
        if (msg.aux?.ID) imageId = msg.aux.ID;
        const text = msg.stream ?? (msg.status ? `${msg.status}${msg.progress ? ` ${msg.progress}` : ''}\n` : msg.error ? `${msg.error}\n` : '');
        if (text) setLog((lines) => [...lines, ...stripAnsi(text).replace(/\n$/, '').split('\n')].slice(-5000));
      });
      if (failure) setOutcome({ ok: false, text: `The build failed: ${failure}` });
      else {
        setOutcome({ ok: true, text: `Built ${tag.trim() || imageId?.slice(0, 19) || 'the image'}` });
        toast.success(`Built ${tag.trim() || 'the image'}`);
      }
    } catch (err) {
      const honest = err instanceof ApiError && (err.status === 404 || err.status === 501)
        ? `This engine does not build images (it answered ${err.status}: ${err.message}).`
        : `The build could not run: ${messageOf(err)}`;
      setOutcome({ ok: false, text: honest });
    } finally {
      setBusy(false);
      void client.invalidateQueries({ queryKey: qk.images(env) });
    }
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4" data-build-form>
      <PageHeader title="Build an image" subtitle={<><Link href="/images" className="text-accent hover:underline">Images</Link> / build</>}
        actions={<>
          {busy && <Button onClick={() => abort.current?.abort()}>Cancel</Button>}
          <Button type="submit" variant="primary" busy={busy}>Build</Button>
        </>} />
      <Card title="Context">
        <div className="mb-3 flex gap-4 text-sm" role="radiogroup" aria-label="Build context">
          <label className="flex items-center gap-2"><input type="radio" checked={source === 'editor'} onChange={() => setSource('editor')} /> Write a Dockerfile</label>
          <label className="flex items-center gap-2"><input type="radio" checked={source === 'upload'} onChange={() => setSource('upload')} /> Upload a context .tar</label>
        </div>
        {source === 'editor' ? (
          <TextAreaField label="Dockerfile" rows={14} value={dockerfile} onChange={(e) => setDockerfile(e.target.value)} error={errors.dockerfile} spellCheck={false} name="dockerfile" />
        ) : (
          <div className="grid gap-3 md:grid-cols-2">
            <div className="flex flex-col gap-1">
              <label className="text-xs font-medium text-muted" htmlFor="context-file">Context archive</label>
              <input id="context-file" type="file" accept=".tar,.tar.gz,.tgz,application/x-tar,application/gzip" onChange={(e) => setContext(e.target.files?.[0] ?? null)} className="text-sm" />
              {errors.context && <p role="alert" className="text-xs text-danger">{errors.context}</p>}
            </div>
            <TextField label="Dockerfile path in the archive" value={dockerfilePath} onChange={(e) => setDockerfilePath(e.target.value)} />
          </div>
        )}
      </Card>
      <Card title="Options">
        <div className="grid items-end gap-3 md:grid-cols-3">
          <TextField label="Tag" name="tag" value={tag} onChange={(e) => setTag(e.target.value)} error={errors.tag} placeholder="myapp:latest" />
          <Checkbox label="Do not use the cache" checked={nocache} onChange={(e) => setNocache(e.target.checked)} />
          <Checkbox label="Always pull base images" checked={pull} onChange={(e) => setPull(e.target.checked)} />
          <TextField label="Target stage" name="target" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="the last stage" />
          <TextAreaField label="Build arguments (NAME=value per line)" rows={2} name="buildargs" value={buildArgs} onChange={(e) => setBuildArgs(e.target.value)} error={errors.buildArgs} spellCheck={false} />
        </div>
      </Card>
      {(log.length > 0 || outcome || busy) && (
        <Card title="Build log">
          {outcome && <p role={outcome.ok ? 'status' : 'alert'} className={`mb-2 text-sm ${outcome.ok ? 'text-success' : 'text-danger'}`} data-build-outcome>{outcome.text}</p>}
          <div className="max-h-[28rem] overflow-auto rounded-md border border-line bg-bg p-3 font-mono text-xs whitespace-pre-wrap" data-build-log>
            {log.map((line, i) => <div key={i}>{line}</div>)}
            {busy && <div className="text-muted">…</div>}
            <div ref={logEnd} />
          </div>
        </Card>
      )}
    </form>
  );
}
