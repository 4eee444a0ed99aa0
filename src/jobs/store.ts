import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { migrateJob } from './migrate.js';
import { storeErrorOf } from './storeError.js';
import { FINAL_PHASES, type Job } from './types.js';

const ACTIVE = 'active';
/** Final jobs whose final state has not reached Discord yet (shown again after a restart). */
const UNSHOWN = 'unshown';
const PROBE = 'probe';
const jobKey = (id: string) => `job:${id}`;
const msgKey = (messageId: string) => `msg:${messageId}`;
const taskKey = (taskId: string) => `task:${taskId}`;

/**
 * Job records behind keyv: `job:<id>` holds the record, `msg:<messageId>` and `task:<taskId>` point back to it,
 * `active` lists every job that is not final. Writes are serialised in-process so the index never tears.
 */
export class JobStore {
  private chain: Promise<unknown> = Promise.resolve();
  private activeCache: Set<string> | null = null;
  private unshownCache: Set<string> | null = null;
  /**
   * The records of active jobs as this process last wrote or read them in a serialised step (it is the store's
   * only writer), so the hot reads — a tick of the tracker, the limits counting active jobs — cost no I/O.
   */
  private readonly live = new Map<string, Job>();

  constructor(
    readonly keyv: Keyv,
    /** The file behind the store, for error messages. */
    readonly path = ':memory:',
  ) {}

  /**
   * Opens (creating its folder) a SQLite store at `path`, or an in-memory one for `':memory:'`. Read and write
   * errors are thrown to the caller (keyv would otherwise turn a failed read into "not found" and drop a failed
   * write), so no job is silently lost.
   * @throws StoreError when the folder cannot be created.
   */
  static openSqlite(path: string, onError: (err: unknown) => void): JobStore {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw storeErrorOf(err, path);
    }
    const keyv = new Keyv({
      store: new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5_000 }),
      namespace: 'mj',
      throwOnErrors: true,
    });
    keyv.on('error', onError);
    return new JobStore(keyv, path);
  }

  /**
   * Proves at start that the store can be read and written (one read, one write of a probe key), so a locked,
   * read-only or corrupt file stops the bot with a clear message before it takes any interaction.
   * @throws StoreError naming the file and what to do.
   */
  async probe(): Promise<void> {
    try {
      await this.tune();
      await this.keyv.get(ACTIVE);
      await this.keyv.set(PROBE, { at: Date.now() });
    } catch (err) {
      throw storeErrorOf(err, this.path);
    }
  }

  /**
   * SQLite in write-ahead-log mode with `synchronous=NORMAL`: a write costs a fraction of a millisecond instead of
   * a disk flush (~10 ms), which decides how many job changes per second the bot can keep. A committed write still
   * survives a crash of the process; only a power cut or OS crash may lose the last moments.
   */
  private async tune(): Promise<void> {
    const sqlite = this.keyv.store as { query?: (sql: string) => Promise<unknown> };
    if (typeof sqlite.query !== 'function' || this.path === ':memory:') return;
    await sqlite.query('PRAGMA journal_mode = WAL');
    await sqlite.query('PRAGMA synchronous = NORMAL');
  }

  /** Runs `fn` after every earlier write, so read-modify-write sequences do not interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The job's record, in this version's format whatever version wrote it (see `migrateJob`). */
  async get(id: string): Promise<Job | null> {
    const known = this.live.get(id);
    if (known) return known;
    const raw = await this.keyv.get<unknown>(jobKey(id));
    return raw === undefined || raw === null ? null : migrateJob(raw);
  }

  async byMessage(messageId: string): Promise<Job | null> {
    const id = await this.keyv.get<string>(msgKey(messageId));
    return typeof id === 'string' ? this.get(id) : null;
  }

  async byTask(taskId: string): Promise<Job | null> {
    const id = await this.keyv.get<string>(taskKey(taskId));
    return typeof id === 'string' ? this.get(id) : null;
  }

  private async loadActive(): Promise<Set<string>> {
    if (!this.activeCache) {
      const ids = await this.keyv.get<string[]>(ACTIVE);
      this.activeCache = new Set(Array.isArray(ids) ? ids : []);
    }
    return this.activeCache;
  }

  /** Ids of every job not yet final. */
  async activeIds(): Promise<string[]> {
    return this.serial(async () => [...(await this.loadActive())]);
  }

  /** Every job not yet final, oldest first. */
  async activeJobs(): Promise<Job[]> {
    // Warm: every active record is known, as of the last committed write; no I/O, no wait behind writes.
    const ids = this.activeCache;
    if (ids && [...ids].every((id) => this.live.has(id))) {
      return [...ids].map((id) => this.live.get(id) as Job).sort((a, b) => a.createdAt - b.createdAt);
    }
    return this.serial(async () => {
      const ids = [...(await this.loadActive())];
      const jobs = await Promise.all(
        ids.map(async (id) => {
          const job = await this.get(id);
          if (job && !FINAL_PHASES.has(job.phase)) this.live.set(id, job); // read in a serialised step: current
          return job;
        }),
      );
      return jobs.filter((j): j is Job => j !== null).sort((a, b) => a.createdAt - b.createdAt);
    });
  }

  private async loadUnshown(): Promise<Set<string>> {
    if (!this.unshownCache) {
      const ids = await this.keyv.get<string[]>(UNSHOWN);
      this.unshownCache = new Set(Array.isArray(ids) ? ids : []);
    }
    return this.unshownCache;
  }

  /** Final jobs whose final state has not reached Discord yet (a crash or an outage came between), oldest first. */
  async unshownJobs(): Promise<Job[]> {
    return this.load(await this.serial(async () => [...(await this.loadUnshown())]));
  }

  private async load(ids: string[]): Promise<Job[]> {
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((j): j is Job => j !== null).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Saves a job and keeps the message, task and active indexes in step with it. */
  save(job: Job): Promise<void> {
    return this.serial(() => this.write(job));
  }

  /** Writes the record and its indexes; `before` (the record it replaces) spares index writes that change nothing. */
  private async write(job: Job, before?: Job | null): Promise<void> {
    await this.keyv.set(jobKey(job.id), job);
    const messageId = job.message.messageId;
    if (messageId && messageId !== before?.message.messageId) await this.keyv.set(msgKey(messageId), job.id);
    if (job.taskId && job.taskId !== before?.taskId) await this.keyv.set(taskKey(job.taskId), job.id);
    const final = FINAL_PHASES.has(job.phase);
    this.activeCache = await this.setMember(ACTIVE, await this.loadActive(), job.id, !final);
    const waits = final && !job.message.finalShown && !job.message.gone;
    this.unshownCache = await this.setMember(UNSHOWN, await this.loadUnshown(), job.id, waits);
    if (final) this.live.delete(job.id);
    else this.live.set(job.id, job);
  }

  /** Adds or removes `id` in the index `key`; the cached set changes only once the write succeeded. */
  private async setMember(key: string, set: Set<string>, id: string, member: boolean): Promise<Set<string>> {
    if (member === set.has(id)) return set;
    const next = new Set(set);
    if (member) next.add(id);
    else next.delete(id);
    await this.keyv.set(key, [...next]);
    return next;
  }

  /**
   * Reads, changes and saves a job in one serialised step; `change` returns the new record (or null to leave it).
   * Returns the saved record, or null when the job is unknown or left unchanged.
   */
  async update(id: string, change: (job: Job) => Job | null): Promise<Job | null> {
    return this.serial(async () => {
      const job = await this.get(id);
      const next = job ? change(job) : null;
      if (next) await this.write(next, job);
      return next;
    });
  }

  /** Waits for pending writes, then closes the backend. */
  async close(): Promise<void> {
    await this.serial(async () => undefined);
    await this.keyv.disconnect();
  }
}
