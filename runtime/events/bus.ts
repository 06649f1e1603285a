import { EventEmitter } from 'node:events';

/** Docker's event object types and the actions Wharf emits for them. */
export type EventType = 'container' | 'image' | 'volume' | 'network' | 'daemon';

export interface EngineEvent {
  Type: EventType;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  /** Seconds and nanoseconds since the epoch, as Docker reports them. */
  time: number;
  timeNano: number;
}

export type EventListener = (e: EngineEvent) => void;

/**
 * Typed in-process pub/sub. Keeps a bounded history so that `docker events --since`
 * can replay what happened before the subscriber arrived.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly history: EngineEvent[] = [];
  private lastNano = 0;

  constructor(private readonly historyLimit = 1024) {
    this.emitter.setMaxListeners(0);
  }

  publish(type: EventType, action: string, id: string, attributes: Record<string, string> = {}): EngineEvent {
    // Strictly increasing timestamps keep --since/--until replay ordered and unambiguous.
    // Nanoseconds since the epoch exceed 2^53, so steps smaller than 1024 ns would be lost.
    let nano = Date.now() * 1e6;
    if (nano <= this.lastNano) nano = this.lastNano + 1024;
    this.lastNano = nano;
    const e: EngineEvent = { Type: type, Action: action, Actor: { ID: id, Attributes: attributes }, scope: 'local', time: Math.floor(nano / 1e9), timeNano: nano };
    this.history.push(e);
    if (this.history.length > this.historyLimit) this.history.shift();
    this.emitter.emit('event', e);
    return e;
  }

  subscribe(listener: EventListener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /** Events with timeNano in [sinceNano, untilNano]. */
  replay(sinceNano: number, untilNano = Infinity): EngineEvent[] {
    return this.history.filter((e) => e.timeNano >= sinceNano && e.timeNano <= untilNano);
  }
}
