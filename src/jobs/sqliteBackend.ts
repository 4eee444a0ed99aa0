import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { StoreBackend } from './storeBackend.js';
import { storeErrorOf } from './storeError.js';
import {
  ACTIVE,
  type IndexName,
  jobKey,
  memberKey,
  msgKey,
  NAMESPACE,
  PROBE,
  taskKey,
  UNSHOWN,
} from './storeKeys.js';
import { FINAL_PHASES, type Job } from './types.js';

type Query = (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * The store in one SQLite file, written by this process alone: an index is one small row per member (`active#<id>`),
 * read once into memory, so a job joining or leaving it writes one row, not the whole list. Finished jobs are
 * removed by `prune` (the bot calls it periodically, see `jobs/retention.ts`).
 */
export class SqliteBackend implements StoreBackend {
  readonly shared = false;
  readonly redis = null;
  private readonly cache = new Map<IndexName, Set<string>>();

  constructor(
    readonly keyv: Keyv,
    readonly where = ':memory:',
  ) {}

  /**
   * Opens (creating its folder) a SQLite store at `path`, or an in-memory one for `':memory:'`. Read and write
   * errors are thrown to the caller (keyv would otherwise turn a failed read into "not found").
   * @throws StoreError when the folder cannot be created.
   */
  static open(path: string, onError: (err: unknown) => void): SqliteBackend {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw storeErrorOf(err, path);
    }
    const keyv = new Keyv({
      store: new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5_000 }),
      namespace: NAMESPACE,
      throwOnErrors: true,
    });
    keyv.on('error', onError);
    return new SqliteBackend(keyv, path);
  }

  private get query(): Query | null {
    const sqlite = this.keyv.store as { query?: Query };
    return typeof sqlite.query === 'function' ? sqlite.query.bind(sqlite) : null;
  }

  async probe(): Promise<void> {
    // WAL with synchronous=NORMAL: a write costs a fraction of a millisecond instead of a disk flush; a
    // committed write still survives a crash of the process.
    if (this.query && this.where !== ':memory:') {
      await this.query('PRAGMA journal_mode = WAL');
      await this.query('PRAGMA synchronous = NORMAL');
    }
    await this.keyv.get(PROBE);
    await this.keyv.set(PROBE, { at: Date.now() });
  }

  async members(index: IndexName): Promise<string[]> {
    return [...(await this.load(index))];
  }

  /**
   * The index's members, read once (one query over its rows). An index an older version kept as one JSON list is
   * turned into rows here, once, and the list removed.
   */
  private async load(index: IndexName): Promise<Set<string>> {
    const cached = this.cache.get(index);
    if (cached) return cached;
    const prefix = `${NAMESPACE}:${memberKey(index, '')}`;
    const rows = this.query
      ? await this.query('SELECT key FROM keyv WHERE substr(key, 1, ?) = ?', prefix.length, prefix)
      : [];
    const set = new Set(rows.map((r) => String(r.key).slice(prefix.length)));
    const legacy = await this.keyv.get<string[]>(index);
    if (Array.isArray(legacy)) {
      for (const id of legacy) {
        await this.keyv.set(memberKey(index, id), 1);
        set.add(id);
      }
      await this.keyv.delete(index);
    }
    this.cache.set(index, set);
    return set;
  }

  async save(job: Job, before?: Job | null): Promise<void> {
    await this.keyv.set(jobKey(job.id), job);
    const messageId = job.message.messageId;
    if (messageId && messageId !== before?.message.messageId) await this.keyv.set(msgKey(messageId), job.id);
    if (job.taskId && job.taskId !== before?.taskId) await this.keyv.set(taskKey(job.taskId), job.id);
    const final = FINAL_PHASES.has(job.phase);
    await this.setMember(ACTIVE, job.id, !final);
    await this.setMember(UNSHOWN, job.id, final && !job.message.finalShown && !job.message.gone);
  }

  /** Adds or removes `id` in an index (one row); the cached set changes only once the write succeeded. */
  private async setMember(index: IndexName, id: string, member: boolean): Promise<void> {
    const set = await this.load(index);
    if (member === set.has(id)) return;
    if (member) {
      await this.keyv.set(memberKey(index, id), 1);
      set.add(id);
    } else {
      await this.keyv.delete(memberKey(index, id));
      set.delete(id);
    }
  }

  /**
   * Deletes finished jobs last changed before `cutoff`, the message and task pointers left without a job, and
   * every keyv entry whose own expiry passed (usage counters, marks: keyv dates them by the system clock). One
   * pass of SQL; nothing is read into memory.
   */
  async prune(cutoff: number): Promise<string[]> {
    const query = this.query;
    if (!query) return [];
    const ns = `${NAMESPACE}:`;
    const rows = await query(
      `DELETE FROM keyv WHERE key LIKE ? AND json_extract(value, '$.value.phase') IN ('succeeded', 'failed')
       AND json_extract(value, '$.value.updatedAt') < ? RETURNING key`,
      `${ns}job:%`,
      cutoff,
    );
    await query(
      `DELETE FROM keyv WHERE (key LIKE ? OR key LIKE ?)
       AND (? || json_extract(value, '$.value')) NOT IN (SELECT key FROM keyv WHERE key LIKE ?)`,
      `${ns}msg:%`,
      `${ns}task:%`,
      `${ns}job:`,
      `${ns}job:%`,
    );
    await query(
      `DELETE FROM keyv WHERE key LIKE ? AND json_extract(value, '$.expires') IS NOT NULL
       AND json_extract(value, '$.expires') < ?`,
      `${ns}%`,
      Date.now(),
    );
    const ids = rows.map((r) => String(r.key).slice(`${ns}job:`.length));
    for (const id of ids) await this.setMember(UNSHOWN, id, false);
    return ids;
  }

  async close(): Promise<void> {
    await this.keyv.disconnect();
  }
}
