'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { messageOf } from '../api/client.ts';
import { images } from '../api/docker.ts';
import { readJsonStream } from '../api/progress.ts';
import { shortId } from '../format.ts';
import { qk } from '../query-keys.ts';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Field, SelectField, TextAreaField, TextField } from '../ui/field.tsx';
import { useToast } from '../ui/toasts.tsx';
import { REFERENCE, splitReference } from './reference.ts';

/**
 * `docker import`: a filesystem tar (plain or gzip), uploaded from this browser or fetched by
 * the engine from an http(s) URL, becomes a one-layer image; Dockerfile changes (CMD, ENV…) apply.
 */
export function ImportDialog({ env, onClose }: { env: string; onClose: () => void }) {
  const client = useQueryClient();
  const toast = useToast();
  const [from, setFrom] = useState<'file' | 'url'>('file');
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [changes, setChanges] = useState('');
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (from === 'file' && !file) found.file = 'choose a .tar or .tar.gz of a filesystem';
    if (from === 'url' && !/^https?:\/\/\S+$/i.test(url.trim())) found.url = 'an http:// or https:// URL';
    if (name.trim() && (!REFERENCE.test(name.trim()) || name.includes('@'))) found.name = 'a name with an optional tag, e.g. myapp:1.0';
    setErrors(found);
    if (Object.keys(found).length) return;
    const ref = name.trim() ? splitReference(name) : undefined;
    setBusy(true);
    setStatus('');
    try {
      const res = await images.importFs(env, from === 'file' ? file! : url.trim(), {
        repo: ref?.fromImage, tag: ref?.tag, message: message.trim() || undefined,
        changes: changes.split('\n').map((l) => l.trim()).filter(Boolean),
      });
      let id = '';
      const failure = await readJsonStream(res, (msg) => {
        if (msg.status?.startsWith('sha256:')) id = msg.status;
        else if (msg.status) setStatus(msg.status);
      });
      if (failure) {
        setErrors({ form: failure });
        return;
      }
      toast.success(`Imported ${name.trim() || shortId(id)}`);
      void client.invalidateQueries({ queryKey: qk.images(env) });
      onClose();
    } catch (err) {
      setErrors({ form: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title="Import a filesystem"
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" form="import-form" variant="primary" busy={busy} data-import-submit>Import</Button></>}>
      <form id="import-form" onSubmit={submit} noValidate className="space-y-3">
        <SelectField label="Source" value={from} onChange={(e) => setFrom(e.target.value as 'file' | 'url')}>
          <option value="file">Upload a file</option>
          <option value="url">Fetch from a URL</option>
        </SelectField>
        {from === 'file'
          ? (
            <Field label="Filesystem archive" htmlFor="import-file" error={errors.file}>
              <input id="import-file" type="file" accept=".tar,.tgz,.gz,application/x-tar,application/gzip" className="block w-full text-sm"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-import-file />
            </Field>
          )
          : <TextField label="Archive URL" value={url} onChange={(e) => setUrl(e.target.value)} error={errors.url} placeholder="https://example.com/rootfs.tar.gz" />}
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} placeholder="myapp:1.0" hint="optional; untagged without one" />
        <TextAreaField label="Changes" value={changes} onChange={(e) => setChanges(e.target.value)} rows={3} placeholder={'CMD ["/bin/sh"]\nENV MODE=production'}
          hint="Dockerfile instructions, one per line: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR…" />
        <TextField label="Message" value={message} onChange={(e) => setMessage(e.target.value)} placeholder="shown in the image's history" />
        {busy && status && <p role="status" className="text-sm text-muted">{status}</p>}
        {errors.form && <p role="alert" className="whitespace-pre-wrap break-words text-sm text-danger">{errors.form}</p>}
      </form>
    </Dialog>
  );
}
