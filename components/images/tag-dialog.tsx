'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { messageOf } from '../api/client.ts';
import { images } from '../api/docker.ts';
import type { ImageSummary } from '../api/docker-types.ts';
import { shortId } from '../format.ts';
import { qk } from '../query-keys.ts';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { TextField } from '../ui/field.tsx';
import { useToast } from '../ui/toasts.tsx';
import { REFERENCE, splitReference } from './reference.ts';

export function TagDialog({ env, image, onClose }: { env: string; image: ImageSummary; onClose: () => void }) {
  const client = useQueryClient();
  const toast = useToast();
  const [ref, setRef] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = ref.trim();
    if (!REFERENCE.test(value) || value.includes('@')) {
      setError('a name with an optional tag, e.g. myapp:1.0');
      return;
    }
    const { fromImage, tag } = splitReference(value);
    setBusy(true);
    try {
      await images.tag(env, image.Id, fromImage, tag ?? 'latest');
      toast.success(`Tagged ${shortId(image.Id)} as ${fromImage}:${tag ?? 'latest'}`);
      void client.invalidateQueries({ queryKey: qk.images(env) });
      onClose();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title={`Tag ${image.RepoTags?.[0] ?? shortId(image.Id)}`}
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" form="tag-form" variant="primary" busy={busy}>Tag</Button></>}>
      <form id="tag-form" onSubmit={submit} noValidate>
        <TextField label="New name" name="tag" value={ref} onChange={(e) => setRef(e.target.value)} error={error} placeholder="myapp:1.0" autoFocus />
      </form>
    </Dialog>
  );
}
