import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { FINAL_PHASES, type Job } from './types.js';

const ACTIVE = 'active';
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

  constructor(readonly keyv: Keyv) {}

  /** Opens (creating its folder) a SQLite store at `path`, or an in-memory one for `':memory:'`. */
  static openSqlite(path: string, onError: (err: unknown) => void): JobStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const keyv = new Keyv({
      store: new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5_000 }),
      namespace: 'mj',
    });
    keyv.on('error', onError);
    return new JobStore(keyv);
  }

  /** Runs `fn` after every earlier write, so read-modify-write sequences do not interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  async get(id: string): Promise<Job | null> {
    return ((await this.keyv.get<Job>(jobKey(id))) as Job | undefined) ?? null;
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
    const jobs = await Promise.all((await this.activeIds()).map((id) => this.get(id)));
    return jobs.filter((j): j is Job => j !== null).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Saves a job and keeps the message, task and active indexes in step with it. */
  save(job: Job): Promise<void> {
    return this.serial(() => this.write(job));
  }

  private async write(job: Job): Promise<void> {
    {
      await this.keyv.set(jobKey(job.id), job);
      if (job.message.messageId) await this.keyv.set(msgKey(job.message.messageId), job.id);
      if (job.taskId) await this.keyv.set(taskKey(job.taskId), job.id);
      const active = await this.loadActive();
      const isActive = !FINAL_PHASES.has(job.phase);
      if (isActive !== active.has(job.id)) {
        if (isActive) active.add(job.id);
        else active.delete(job.id);
        await this.keyv.set(ACTIVE, [...active]);
      }
    }
  }

  /**
   * Reads, changes and saves a job in one serialised step; `change` returns the new record (or null to leave it).
   * Returns the saved record, or null when the job is unknown or left unchanged.
   */
  async update(id: string, change: (job: Job) => Job | null): Promise<Job | null> {
    return this.serial(async () => {
      const job = await this.get(id);
      const next = job ? change(job) : null;
      if (next) await this.write(next);
      return next;
    });
  }

  /** Waits for pending writes, then closes the backend. */
  async close(): Promise<void> {
    await this.serial(async () => undefined);
    await this.keyv.disconnect();
  }
}
