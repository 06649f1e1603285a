import { io, type Socket } from 'socket.io-client';
import {
  SOCKET_PATH, SOCKET_UNAUTHORIZED,
  type Ack, type ClientToServerEvents, type EventsEvent, type ExecExit, type ExecStart, type LogsChunk,
  type LogsSubscribe, type ServerToClientEvents, type StatsSample, type StatsSubscribe, type EventsSubscribe,
} from '@/server/protocol/index.ts';

type WharfSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Kinds {
  logs: { request: LogsSubscribe; message: LogsChunk };
  stats: { request: StatsSubscribe; message: StatsSample };
  events: { request: EventsSubscribe; message: EventsEvent };
}
export type Kind = keyof Kinds;

export interface SubscriptionHandlers<M> {
  onMessage(message: M): void;
  /** The server ended the stream (container exited, engine gone). */
  onEnd?(reason: string | undefined): void;
  /** The server refused the subscription. */
  onError?(message: string): void;
  /** Called once the server accepted (again, after a reconnect). */
  onSubscribed?(): void;
}

interface Subscription<K extends Kind> {
  kind: K;
  /** Called at every (re)subscribe, so a reconnect can ask only for what was missed. */
  request: () => Kinds[K]['request'];
  handlers: SubscriptionHandlers<Kinds[K]['message']>;
  id?: string;
  closed: boolean;
}

export interface ExecSession {
  input(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

const ACK_TIMEOUT_MS = 15_000;

/**
 * One socket.io connection per tab, shared by every log, stats, events and exec session.
 * Server messages carry the session id they belong to; this class routes them, and after a
 * reconnect subscribes every live subscription again.
 */
export class Realtime {
  readonly socket: WharfSocket;
  private readonly byId = new Map<string, Subscription<Kind>>();
  private readonly subscriptions = new Set<Subscription<Kind>>();
  private readonly execs = new Map<string, { onData(data: string): void; onExit(exit: ExecExit): void }>();
  private readonly statusListeners = new Set<() => void>();
  status: 'connecting' | 'connected' | 'disconnected' = 'connecting';
  lastError = '';

  constructor() {
    this.socket = io({ path: SOCKET_PATH, transports: ['websocket'], withCredentials: true });
    this.socket.on('connect', () => {
      this.setStatus('connected');
      for (const sub of this.subscriptions) this.send(sub);
    });
    this.socket.on('disconnect', () => {
      this.setStatus('disconnected');
      this.byId.clear();
      for (const [id, exec] of this.execs) exec.onExit({ id, exitCode: null, reason: 'the connection to the server was lost' });
      this.execs.clear();
    });
    this.socket.on('connect_error', (err) => {
      this.lastError = err.message;
      this.setStatus('disconnected');
      if (err.message === SOCKET_UNAUTHORIZED && window.location.pathname !== '/login') {
        window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
      }
    });
    this.socket.on('logs:chunk', (msg) => this.byId.get(msg.id)?.handlers.onMessage(msg as never));
    this.socket.on('stats:sample', (msg) => this.byId.get(msg.id)?.handlers.onMessage(msg as never));
    this.socket.on('events:event', (msg) => this.byId.get(msg.id)?.handlers.onMessage(msg as never));
    const ended = (msg: { id: string; reason?: string }) => {
      const sub = this.byId.get(msg.id);
      if (!sub) return;
      this.byId.delete(msg.id);
      // An ended stream is not resubscribed on reconnect: the owner decides what to do.
      this.subscriptions.delete(sub);
      sub.closed = true;
      sub.handlers.onEnd?.(msg.reason);
    };
    this.socket.on('logs:end', ended);
    this.socket.on('stats:end', ended);
    this.socket.on('events:end', ended);
    this.socket.on('exec:data', (msg) => {
      const exec = this.execs.get(msg.id);
      if (exec) exec.onData(msg.data);
      else this.early(msg.id).data.push(msg.data);
    });
    this.socket.on('exec:exit', (msg) => {
      const exec = this.execs.get(msg.id);
      this.execs.delete(msg.id);
      if (exec) exec.onExit(msg);
      else this.early(msg.id).exit = msg;
    });
  }

  /** Output that arrived before the ack of its exec:start (the server may send both at once). */
  private readonly earlyExec = new Map<string, { data: string[]; exit?: ExecExit }>();

  private early(id: string): { data: string[]; exit?: ExecExit } {
    let entry = this.earlyExec.get(id);
    if (!entry) {
      entry = { data: [] };
      this.earlyExec.set(id, entry);
      setTimeout(() => this.earlyExec.delete(id), ACK_TIMEOUT_MS);
    }
    return entry;
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: Realtime['status']): void {
    this.status = status;
    for (const l of this.statusListeners) l();
  }

  subscribe<K extends Kind>(kind: K, request: () => Kinds[K]['request'], handlers: SubscriptionHandlers<Kinds[K]['message']>): () => void {
    const sub: Subscription<K> = { kind, request, handlers, closed: false };
    this.subscriptions.add(sub as unknown as Subscription<Kind>);
    if (this.socket.connected) this.send(sub as unknown as Subscription<Kind>);
    return () => {
      if (sub.closed) return;
      sub.closed = true;
      this.subscriptions.delete(sub as unknown as Subscription<Kind>);
      if (sub.id) {
        this.byId.delete(sub.id);
        this.socket.emit(`${kind}:unsubscribe` as 'logs:unsubscribe', { id: sub.id });
      }
    };
  }

  private send(sub: Subscription<Kind>): void {
    sub.id = undefined;
    const event = `${sub.kind}:subscribe` as 'logs:subscribe';
    this.socket.timeout(ACK_TIMEOUT_MS).emit(event, sub.request() as LogsSubscribe, (err: Error | null, res: Ack) => {
      if (err) {
        sub.handlers.onError?.('the server did not answer the subscription');
        return;
      }
      if (!res.ok) {
        this.subscriptions.delete(sub);
        sub.closed = true;
        sub.handlers.onError?.(res.message);
        return;
      }
      if (sub.closed) {
        this.socket.emit(`${sub.kind}:unsubscribe` as 'logs:unsubscribe', { id: res.id });
        return;
      }
      sub.id = res.id;
      this.byId.set(res.id, sub);
      sub.handlers.onSubscribed?.();
    });
  }

  /** Starts a TTY exec session; resolves once the server accepted it, rejects with its reason. */
  exec(request: ExecStart, handlers: { onData(data: string): void; onExit(exit: ExecExit): void }): Promise<ExecSession> {
    return new Promise((resolve, reject) => {
      if (!this.socket.connected) {
        reject(new Error('not connected to the server'));
        return;
      }
      this.socket.timeout(ACK_TIMEOUT_MS).emit('exec:start', request, (err: Error | null, res: Ack) => {
        if (err) return reject(new Error('the server did not answer'));
        if (!res.ok) return reject(new Error(res.message));
        const id = res.id;
        const early = this.earlyExec.get(id);
        this.earlyExec.delete(id);
        const session: ExecSession = {
          input: (data) => this.socket.emit('exec:input', { id, data }),
          resize: (cols, rows) => this.socket.emit('exec:resize', { id, cols, rows }),
          close: () => {
            if (this.execs.delete(id)) this.socket.emit('exec:close', { id });
          },
        };
        resolve(session);
        // Handlers run after the caller has its session, so output can be written at once.
        queueMicrotask(() => {
          for (const data of early?.data ?? []) handlers.onData(data);
          if (early?.exit) handlers.onExit(early.exit);
          else this.execs.set(id, handlers);
        });
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
