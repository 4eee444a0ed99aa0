import type Keyv from 'keyv';
import { type ActiveCounts, type ActiveJob, ActiveTally } from './limits.js';
import { migrateJob } from './migrate.js';
import { RedisBackend } from './redisBackend.js';
import { SqliteBackend } from './sqliteBackend.js';
import type { RedisClient, StoreBackend } from './storeBackend.js';
import { storeErrorOf } from './storeError.js';
import { ACTIVE, DEFAULT_RETENTION_MS, jobKey, msgKey, taskKey, UNSHOWN } from './storeKeys.js';
import { FINAL_PHASES, type Job } from './types.js';

export type { RedisClient } from './storeBackend.js';

export interface OpenStoreOptions {
  onError: (err: unknown) => void;
  /** Finished jobs are kept this long (`JOB_RETENTION_DAYS`); default 90 days. */
  retentionMs?: number;
}

/**
 * Job records behind keyv: `job:<id>` holds the record, `msg:<messageId>` and `task:<taskId>` point back to it,
 * `active` lists every job that is not final, `unshown` the final ones not yet shown. Writes are serialised
 * in-process; on Redis (several processes) each write is also one atomic, checked step (see `redisBackend.ts`).
 */
export class JobStore {
  private chain: Promise<unknown> = Promise.resolve();
  /**
   * The records of active jobs as this process last wrote or read them in a serialised step. Only for a store
   * this process writes alone (SQLite): the hot reads — a tick of the tracker, the limits — then cost no I/O.
   */
  private readonly live = new Map<string, Job>();
  private activeCache: Set<string> | null = null;
  /** A local store's running and waiting counts (`activeCounts`), kept with `live` once the active jobs were read. */
  private tally: ActiveTally | null = null;

  readonly backend: StoreBackend;

  /** Over a backend, or over a bare keyv (a local store, e.g. in memory for tests). */
  constructor(backend: StoreBackend | Keyv) {
    this.backend = 'shared' in backend ? backend : new SqliteBackend(backend);
  }

  /** The keyv holding the jobs and everything else the bot keeps (preferences, usage, settings…). */
  get keyv(): Keyv {
    return this.backend.keyv;
  }

  /** The file or Redis URL (password hidden) behind the store, for messages. */
  get path(): string {
    return this.backend.where;
  }

  /** The connected node-redis client when the store is on Redis (leases, admission), else null. */
  get redis(): RedisClient | null {
    return this.backend.redis;
  }

  /**
   * Opens the store `STORE_URL` names: `redis://` / `rediss://` → Redis (connected by `probe()`), else a
   * SQLite file (`sqlite://path` or a bare path).
   * @throws StoreError naming the file when its folder cannot be created.
   */
  static open(url: string, o: OpenStoreOptions): JobStore {
    const retentionMs = o.retentionMs ?? DEFAULT_RETENTION_MS;
    if (/^rediss?:\/\//.test(url)) return new JobStore(RedisBackend.open(url, { ...o, retentionMs }));
    return JobStore.openSqlite(url.replace(/^sqlite:\/\//, ''), o.onError);
  }

  /**
   * Opens (creating its folder) a SQLite store at `path`, or an in-memory one for `':memory:'`.
   * @throws StoreError when the folder cannot be created.
   */
  static openSqlite(path: string, onError: (err: unknown) => void): JobStore {
    return new JobStore(SqliteBackend.open(path, onError));
  }

  /**
   * Proves at start that the store can be read and written, so a locked, read-only or corrupt file, or an
   * unreachable Redis, stops the bot with a clear message before it takes any interaction.
   * @throws StoreError naming the file or STORE_URL and what to do.
   */
  async probe(): Promise<void> {
    try {
      await this.backend.probe();
    } catch (err) {
      throw storeErrorOf(err, this.path);
    }
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

  /** Ids of every job not yet final (of every process, on Redis). */
  async activeIds(): Promise<string[]> {
    return this.serial(() => this.backend.members(ACTIVE));
  }

  /** Every job not yet final, oldest first. */
  async activeJobs(): Promise<Job[]> {
    // Warm (local store only): every active record is known as of the last committed write; no I/O.
    const ids = this.activeCache;
    if (ids && [...ids].every((id) => this.live.has(id))) {
      return [...ids].map((id) => this.live.get(id) as Job).sort((a, b) => a.createdAt - b.createdAt);
    }
    return this.serial(async () => {
      const ids = await this.backend.members(ACTIVE);
      const jobs = await this.getMany(ids);
      if (!this.backend.shared) {
        this.activeCache = new Set(ids);
        for (const job of jobs) if (!FINAL_PHASES.has(job.phase)) this.live.set(job.id, job);
        this.tally = new ActiveTally(jobs);
      }
      return jobs;
    });
  }

  /**
   * What the limits need of every job not yet final (of every process, on Redis): on Redis from a small index
   * kept by the write script, not from the whole records, so an admission costs little however many jobs run.
   */
  async activeView(): Promise<ActiveJob[]> {
    const backend = this.backend;
    const view = backend.activeView?.bind(backend);
    if (view) return this.serial(view);
    return this.activeJobs();
  }

  /**
   * The task id of every job in `tracking`, by job id, from an index the write script keeps (Redis: no record
   * read); `older` also finds the jobs an older version saved. From the records where there is no index.
   */
  async trackingTasks(older = false): Promise<Map<string, string>> {
    const tracking = this.backend.trackingTasks?.bind(this.backend);
    if (tracking) return this.serial(() => tracking(older));
    const jobs = (await this.activeJobs()).filter((j) => j.phase === 'tracking' && j.taskId);
    return new Map(jobs.map((j) => [j.id, j.taskId as string]));
  }

  /**
   * Running jobs of a user and of a server and waiting jobs, in one small read (Redis: counts the write script
   * keeps; SQLite: counted in memory with every save, once the active jobs were read); null before that.
   */
  async activeCounts(userId: string, guildId: string | null): Promise<ActiveCounts | null> {
    const counts = this.backend.activeCounts?.bind(this.backend);
    if (counts) return this.serial(() => counts(userId, guildId));
    // A local store: counted in memory with every save, once the active jobs were read (until then: null).
    return this.tally?.counts(userId, guildId) ?? null;
  }

  /** Final jobs whose final state has not reached Discord yet (a crash or an outage came between), oldest first. */
  async unshownJobs(): Promise<Job[]> {
    return this.getMany(await this.serial(() => this.backend.members(UNSHOWN)));
  }

  /** The records of `ids` that exist, oldest first (on Redis in one round trip). */
  async getMany(ids: string[]): Promise<Job[]> {
    const jobs =
      this.backend.shared && ids.length > 0
        ? // Redis: one round trip (MGET) for all of them, whoever wrote them.
          (await this.keyv.getMany<unknown>(ids.map(jobKey))).map((raw) =>
            raw === undefined || raw === null ? null : migrateJob(raw),
          )
        : await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((j): j is Job => j !== null).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Saves a job and keeps the message, task and active indexes in step with it. */
  save(job: Job): Promise<void> {
    return this.serial(() => this.write(job));
  }

  private async write(job: Job, before?: Job | null): Promise<void> {
    await this.backend.save(job, before);
    this.remember(job);
  }

  /** Keeps the in-memory view of a local store in step with a committed write. */
  private remember(job: Job): void {
    if (this.backend.shared) return;
    const final = FINAL_PHASES.has(job.phase);
    if (this.activeCache) {
      if (final) this.activeCache.delete(job.id);
      else this.activeCache.add(job.id);
    }
    if (final) this.live.delete(job.id);
    else this.live.set(job.id, job);
    this.tally?.set(job);
  }

  /**
   * Reads, changes and saves a job in one serialised step; `change` returns the new record (or null to leave it).
   * On Redis the write is checked: a change another process made in between is read and `change` runs again.
   * Returns the saved record, or null when the job is unknown or left unchanged.
   */
  async update(id: string, change: (job: Job) => Job | null): Promise<Job | null> {
    return this.serial(async () => {
      if (this.backend.update) return this.backend.update(id, change);
      const job = await this.get(id);
      const next = job ? change(job) : null;
      if (next) await this.write(next, job);
      return next;
    });
  }

  /**
   * Removes finished jobs last changed before `cutoff` (SQLite; Redis expires them by itself), and keyv entries
   * past their own expiry. Returns how many jobs.
   */
  async prune(cutoff: number): Promise<number> {
    return (await this.serial(() => this.backend.prune(cutoff))).length;
  }

  /** Waits for pending writes, then closes the backend. */
  async close(): Promise<void> {
    await this.serial(async () => undefined);
    await this.backend.close();
  }
}
