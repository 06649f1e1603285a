'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { StackFiles, StackPlan, StackProblem, StackProgress } from '@/server/protocol/index.ts';
import { messageOf } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { Button } from '../ui/button.tsx';
import { Card, ErrorBox } from '../ui/layout.tsx';
import { stacks, StackProblemsError } from './api.ts';
import { FileEditor } from './file-editor.tsx';
import { PlanView, ProgressView } from './plan-view.tsx';

/**
 * The compose file and `.env` of a stack, then its plan, then up with live progress:
 * save writes the files (refused with each problem at its line), the plan shows what will
 * change, and only "Apply" changes anything.
 */
export function StackEditor({ name, initial, save, onApplied }: {
  name: () => string;
  initial: StackFiles;
  /** Writes the files (create or update). */
  save: (files: StackFiles) => Promise<void>;
  onApplied?: () => void;
}) {
  const client = useQueryClient();
  const [files, setFiles] = useState<StackFiles>(initial);
  const [problems, setProblems] = useState<StackProblem[]>([]);
  const [plan, setPlan] = useState<StackPlan | null>(null);
  const [progress, setProgress] = useState<StackProgress[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');

  const savePlan = async () => {
    setBusy('plan');
    setError('');
    setPlan(null);
    setProgress([]);
    try {
      await save(files);
      setProblems([]);
      setPlan(await stacks.plan(name()));
    } catch (err) {
      if (err instanceof StackProblemsError) setProblems(err.problems);
      else setError(messageOf(err));
    }
    setBusy('');
  };

  const apply = async () => {
    if (!plan) return;
    setBusy('up');
    setError('');
    const lines: StackProgress[] = [];
    try {
      await stacks.up(name(), plan.digest, (p) => { lines.push(p); setProgress([...lines]); });
      if (lines.at(-1)?.kind === 'done') {
        setPlan(null);
        onApplied?.();
      }
    } catch (err) {
      setError(messageOf(err));
    }
    setBusy('');
    void client.invalidateQueries({ queryKey: qk.stacks() });
  };

  return (
    <div className="space-y-4">
      <Card title="Compose file" actions={<Button variant="primary" size="sm" onClick={savePlan} busy={busy === 'plan'} data-save-plan>Save and show the plan</Button>}>
        <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
          <FileEditor label="compose.yaml" name="compose" value={files.compose} onChange={(compose) => setFiles((f) => ({ ...f, compose }))} problems={problems.filter((p) => p.file === 'compose')} />
          <FileEditor label=".env" name="env" rows={8} value={files.env} onChange={(env) => setFiles((f) => ({ ...f, env }))} problems={problems.filter((p) => p.file === 'env')} />
        </div>
      </Card>
      {error && <ErrorBox error={error} />}
      {plan && (
        <Card title="Plan: nothing changes until you apply it" actions={<Button variant="primary" size="sm" onClick={apply} busy={busy === 'up'} data-apply-plan>Apply</Button>}>
          <PlanView plan={plan} />
        </Card>
      )}
      {progress.length > 0 && <Card title="Progress"><ProgressView lines={progress} /></Card>}
    </div>
  );
}
