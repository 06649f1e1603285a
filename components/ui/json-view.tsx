'use client';

import { useState } from 'react';
import { Button } from './button.tsx';
import { CopyButton } from './copy-button.tsx';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A collapsible JSON tree; every key and value is rendered as text. */
export function JsonView({ value, name }: { value: unknown; name?: string }) {
  // Remounting with a new key opens or closes every node at once.
  const [generation, setGeneration] = useState(0);
  const [openAll, setOpenAll] = useState(false);
  return (
    <div className="rounded-md border border-line bg-bg">
      <div className="flex items-center gap-2 border-b border-line px-3 py-2">
        <span className="text-xs text-muted">{name ?? 'JSON'}</span>
        <span className="flex-1" />
        <Button size="sm" onClick={() => { setOpenAll(true); setGeneration((g) => g + 1); }}>Expand all</Button>
        <Button size="sm" onClick={() => { setOpenAll(false); setGeneration((g) => g + 1); }}>Collapse all</Button>
        <CopyButton text={() => JSON.stringify(value, null, 2)} label="Copy JSON" />
      </div>
      <div key={generation} className="overflow-auto p-3 font-mono text-xs leading-5" data-json-view>
        <Node value={value as Json} depth={0} open={openAll} />
      </div>
    </div>
  );
}

function Scalar({ value }: { value: Json }) {
  if (value === null) return <span className="text-muted">null</span>;
  if (typeof value === 'string') return <span className="break-all text-success">&quot;{value}&quot;</span>;
  if (typeof value === 'number') return <span className="text-info">{value}</span>;
  return <span className="text-warning">{String(value)}</span>;
}

function Node({ value, depth, open, label }: { value: Json; depth: number; open: boolean; label?: string }) {
  const key = label !== undefined ? <span className="text-accent">{label}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return <div>{key}<Scalar value={value} /></div>;
  }
  const entries: [string, Json][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return <div>{key}{brackets.join('')}</div>;
  return (
    <details open={open || depth < 1} className="[&>summary]:cursor-pointer">
      <summary className="select-none">
        {key}{brackets[0]}<span className="text-muted"> {entries.length} {Array.isArray(value) ? 'items' : 'keys'} </span>
      </summary>
      <div className="ml-4 border-l border-line pl-3">
        {entries.map(([k, v]) => <Node key={k} label={k} value={v} depth={depth + 1} open={open} />)}
      </div>
      <div>{brackets[1]}</div>
    </details>
  );
}
