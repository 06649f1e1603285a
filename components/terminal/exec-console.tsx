'use client';

import { useRef, useState } from 'react';
import type { ExecExit } from '@/server/protocol/index.ts';
import type { ExecSession } from '../realtime/realtime.ts';
import { useRealtime, useRealtimeStatus } from '../realtime/provider.tsx';
import { Button } from '../ui/button.tsx';
import { inputBase } from '../ui/field.tsx';
import { XTerm, type TerminalHandle } from './xterm.tsx';

const SHELLS = ['sh', 'bash', 'ash'] as const;

type Phase = { kind: 'idle' } | { kind: 'starting' } | { kind: 'open' } | { kind: 'ended'; exit: ExecExit | { exitCode: null; reason: string } };

/**
 * An interactive shell in a running container: exec:start with a TTY sized to the terminal,
 * keystrokes and resizes sent as they happen, and the end of the session said in plain words.
 */
export function ExecConsole({ env, container, running }: { env: string; container: string; running: boolean }) {
  const realtime = useRealtime();
  const status = useRealtimeStatus();
  const [shell, setShell] = useState<string>('sh');
  const [user, setUser] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [session, setSession] = useState(0);
  const current = useRef<ExecSession | undefined>(undefined);

  const connect = () => {
    setPhase({ kind: 'starting' });
    setSession((s) => s + 1);
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-console>
      <form className="flex flex-wrap items-end gap-2 text-sm" onSubmit={(e) => { e.preventDefault(); connect(); }}>
        <label className="flex flex-col text-xs text-muted">Shell
          <select value={shell} onChange={(e) => setShell(e.target.value)} className={`${inputBase} w-28`} disabled={phase.kind === 'open'} data-shell>
            {SHELLS.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label className="flex flex-col text-xs text-muted">User
          <input value={user} onChange={(e) => setUser(e.target.value)} placeholder="container default" className={`${inputBase} w-40`} disabled={phase.kind === 'open'} data-exec-user />
        </label>
        {phase.kind === 'open' || phase.kind === 'starting'
          ? <Button onClick={disconnect} data-disconnect>Disconnect</Button>
          : <Button type="submit" variant="primary" disabled={!running || !realtime || status !== 'connected'} data-connect>Connect</Button>}
        {!running && <span className="text-xs text-muted">The container is not running: start it to open a console.</span>}
      </form>
      {phase.kind === 'ended' && (
        <p role="status" className="rounded-md border border-line bg-raised px-3 py-2 text-sm" data-exec-ended>
          The session ended{phase.exit.exitCode !== null ? ` with exit code ${phase.exit.exitCode}` : ''}: {phase.exit.reason}.
          {' '}<button type="button" className="text-accent underline" onClick={connect} disabled={!running}>Connect again</button>
        </p>
      )}
      {session > 0 && realtime && (
        <Session key={session} start={(handle) => startSession(handle)} className="h-[max(24rem,calc(100vh-15rem))]" />
      )}
      {phase.kind === 'idle' && <p className="text-sm text-muted">Choose a shell and connect. The session runs with a TTY inside the container.</p>}
    </div>
  );

  function disconnect() {
    current.current?.close();
    current.current = undefined;
    setPhase({ kind: 'ended', exit: { exitCode: null, reason: 'disconnected by you' } });
  }

  function startSession(handle: TerminalHandle): () => void {
    let exec: ExecSession | undefined;
    let closed = false;
    const { term } = handle;
    const size = handle.fit();
    term.focus();
    const input = term.onData((data) => exec?.input(data));
    const resize = term.onResize(({ cols, rows }) => exec?.resize(cols, rows));
    realtime!.exec(
      { env, container, cmd: [shell], user: user.trim() || undefined, cols: Math.max(size.cols, 1), rows: Math.max(size.rows, 1) },
      {
        onData: (data) => term.write(data),
        onExit: (exit) => {
          closed = true;
          current.current = undefined;
          term.write(`\r\n\x1b[2m[session ended${exit.exitCode !== null ? `, exit code ${exit.exitCode}` : ''}: ${exit.reason}]\x1b[0m\r\n`);
          setPhase({ kind: 'ended', exit });
        },
      },
    ).then((s) => {
      if (closed) {
        s.close();
        return;
      }
      exec = s;
      current.current = s;
      setPhase({ kind: 'open' });
    }, (err: Error) => {
      closed = true;
      setPhase({ kind: 'ended', exit: { exitCode: null, reason: `could not start ${shell}: ${err.message}` } });
    });
    return () => {
      closed = true;
      input.dispose();
      resize.dispose();
      exec?.close();
      if (current.current === exec) current.current = undefined;
    };
  }
}

/** Keeps the terminal mounted while the phase goes from starting to open (and after it ends). */
function Session({ start, className }: { start: (handle: TerminalHandle) => () => void; className: string }) {
  const starter = useRef(start);
  return <XTerm className={className} onReady={(handle) => starter.current(handle)} />;
}
