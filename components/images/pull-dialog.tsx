'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { TextField } from '../ui/field.tsx';
import { useToast } from '../ui/toasts.tsx';
import { PullProgress } from './pull-progress.tsx';
import { REFERENCE } from './reference.ts';
import { usePull } from './use-pull.ts';

export function PullDialog({ env, open, onClose }: { env: string; open: boolean; onClose: () => void }) {
  const toast = useToast();
  const { pull, cancel, state, reset } = usePull(env);
  const [ref, setRef] = useState('');
  const [error, setError] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!REFERENCE.test(ref.trim())) {
      setError('not an image reference, e.g. alpine:3.20 or registry.example:5000/team/app:1.0');
      return;
    }
    setError('');
    if (await pull(ref.trim())) toast.success(`Pulled ${ref.trim()}`);
  };
  const close = () => {
    if (state?.running) cancel();
    reset();
    onClose();
  };

  return (
    <Dialog open={open} onClose={close} title="Pull an image" wide
      footer={<>
        <Button onClick={close}>{state?.running ? 'Cancel pull' : 'Close'}</Button>
        <Button type="submit" form="pull-form" variant="primary" busy={state?.running}>Pull</Button>
      </>}>
      <form id="pull-form" onSubmit={submit} noValidate className="space-y-4">
        <TextField label="Image" name="reference" value={ref} onChange={(e) => setRef(e.target.value)} error={error} placeholder="alpine:latest" autoFocus />
        {state && <PullProgress state={state} />}
      </form>
    </Dialog>
  );
}
