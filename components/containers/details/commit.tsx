'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { messageOf } from '../../api/client.ts';
import { containers } from '../../api/docker.ts';
import { qk } from '../../query-keys.ts';
import { Button } from '../../ui/button.tsx';
import { Checkbox, TextField } from '../../ui/field.tsx';
import { Card } from '../../ui/layout.tsx';
import { useToast } from '../../ui/toasts.tsx';

const REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** POST /commit: the container's filesystem changes as a new image. */
export function CommitImage({ env, container }: { env: string; container: string }) {
  const client = useQueryClient();
  const toast = useToast();
  const [repo, setRepo] = useState('');
  const [tag, setTag] = useState('latest');
  const [comment, setComment] = useState('');
  const [author, setAuthor] = useState('');
  const [pause, setPause] = useState(true);
  const [errors, setErrors] = useState<{ repo?: string; tag?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: typeof errors = {};
    if (!REPO.test(repo)) found.repo = 'a repository name: lower-case letters, digits, and . _ - / between them';
    if (tag && !TAG.test(tag)) found.tag = 'a tag: letters, digits, _ . - (up to 128)';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const res = await containers.commit(env, container, { repo, tag: tag || undefined, comment: comment || undefined, author: author || undefined, pause });
      toast.success(`Committed ${repo}:${tag || 'latest'} (${res.Id.replace('sha256:', '').slice(0, 12)})`);
      void client.invalidateQueries({ queryKey: qk.images(env) });
    } catch (err) {
      toast.error(`Commit failed: ${messageOf(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Commit to an image">
      <form onSubmit={submit} noValidate className="grid max-w-3xl gap-3 md:grid-cols-2">
        <TextField label="Repository" name="repo" value={repo} onChange={(e) => setRepo(e.target.value)} error={errors.repo} placeholder="myapp" />
        <TextField label="Tag" name="tag" value={tag} onChange={(e) => setTag(e.target.value)} error={errors.tag} />
        <TextField label="Comment" value={comment} onChange={(e) => setComment(e.target.value)} />
        <TextField label="Author" value={author} onChange={(e) => setAuthor(e.target.value)} />
        <Checkbox label="Pause the container while committing" checked={pause} onChange={(e) => setPause(e.target.checked)} />
        <div className="md:col-span-2"><Button type="submit" busy={busy} variant="primary">Commit</Button></div>
      </form>
    </Card>
  );
}
