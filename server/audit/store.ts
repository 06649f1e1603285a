import type { Statement } from 'better-sqlite3';
import type { DashboardDb } from '../auth/db.ts';
import type { AuditEntry, AuditQuery } from '../protocol/index.ts';

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditLimits {
  /** Entries kept at most; older ones are pruned. */
  maxEntries: number;
  /** Age after which entries are pruned. */
  maxAgeMs: number;
}

export const DEFAULT_LIMITS: AuditLimits = { maxEntries: 100_000, maxAgeMs: 90 * 24 * 3600_000 };

/** Rows deleted per prune step, so that pruning never holds the loop for long. */
const PRUNE_BATCH = 1000;
/** Inserts between two prune passes. */
const PRUNE_EVERY = 100;

const COLUMNS = 'id, time, username, role, action, method, route, target, environment, source, status, error';

/**
 * The audit log in dashboard.db: one prepared INSERT per action, keyset-paged reads (newest
 * first), and growth bounded by count and age, pruned in small batches off the request.
 */
export class AuditStore {
  private readonly insert: Statement;
  private readonly pruneOld: Statement;
  private readonly pruneExcess: Statement;
  private sinceprune = 0;
  private pruning = false;

  constructor(private readonly db: DashboardDb, private readonly limits: AuditLimits = DEFAULT_LIMITS, private readonly now: () => number = Date.now) {
    this.insert = db.prepare(`INSERT INTO audit (time, username, role, action, method, route, target, environment, source, status, error)
      VALUES (@time, @username, @role, @action, @method, @route, @target, @environment, @source, @status, @error)`);
    this.pruneOld = db.prepare(`DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE time < ? ORDER BY id LIMIT ${PRUNE_BATCH})`);
    this.pruneExcess = db.prepare(`DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE id <= (SELECT MAX(id) FROM audit) - ? ORDER BY id LIMIT ${PRUNE_BATCH})`);
    this.schedulePrune();
  }

  add(entry: NewAuditEntry): void {
    this.insert.run(entry);
    if (++this.sinceprune >= PRUNE_EVERY) this.schedulePrune();
  }

  /** One page, newest first, of the entries the query selects. */
  page(query: AuditQuery): AuditEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.user !== undefined) { where.push('username = ? COLLATE NOCASE'); args.push(query.user); }
    if (query.action !== undefined) {
      if (query.action.includes('.')) { where.push('action = ?'); args.push(query.action); }
      else { where.push('(action = ? OR substr(action, 1, ?) = ?)'); args.push(query.action, query.action.length + 1, `${query.action}.`); }
    }
    if (query.environment !== undefined) { where.push('environment = ?'); args.push(query.environment); }
    if (query.result === 'success') where.push('status < 400');
    if (query.result === 'failure') where.push('status >= 400');
    if (query.since !== undefined) { where.push('time >= ?'); args.push(query.since); }
    if (query.until !== undefined) { where.push('time <= ?'); args.push(query.until); }
    if (query.before !== undefined) { where.push('id < ?'); args.push(query.before); }
    const sql = `SELECT ${COLUMNS} FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, query.limit) as AuditEntry[];
  }

  /** Prunes one batch per turn of the loop until nothing is over the limits. */
  private schedulePrune(): void {
    this.sinceprune = 0;
    if (this.pruning) return;
    this.pruning = true;
    const step = () => {
      try {
        if (!this.db.open) return void (this.pruning = false);
        const removed = this.pruneOld.run(this.now() - this.limits.maxAgeMs).changes + this.pruneExcess.run(this.limits.maxEntries).changes;
        if (removed > 0) return void setImmediate(step);
      } catch (err) {
        console.error(`wharf: audit prune: ${(err as Error).message}`);
      }
      this.pruning = false;
    };
    setImmediate(step);
  }
}
