import type Keyv from 'keyv';
import type { createClient } from 'redis';
import type { ActiveCounts, ActiveJob } from './limits.js';
import type { IndexName } from './storeKeys.js';
import type { Job } from './types.js';

/** The node-redis client the Redis store runs on (shared with leases and admission, see docs/deployment.md). */
export type RedisClient = ReturnType<typeof createClient>;

/** Where the job store keeps its records: SQLite (one process) or Redis (shared by every process). */
export interface StoreBackend {
  readonly keyv: Keyv;
  /** The file or the Redis URL (without its password), for messages. */
  readonly where: string;
  /** Other processes write this store too: records are never cached in memory, updates are checked writes. */
  readonly shared: boolean;
  readonly redis: RedisClient | null;
  /** One read and one write (and the backend's tuning), so an unusable store stops the bot at start. */
  probe(): Promise<void>;
  /** The ids in an index. */
  members(index: IndexName): Promise<string[]>;
  /** What the limits need of every active job, without reading whole records (absent: from the records). */
  activeView?(): Promise<ActiveJob[]>;
  /** The task id of every job in `tracking` by job id (Redis only; `older`: see RedisBackend). */
  trackingTasks?(older?: boolean): Promise<Map<string, string>>;
  /** The counts one admission needs (`ActiveCounts`), in one read (absent: from the view). */
  activeCounts?(userId: string, guildId: string | null): Promise<ActiveCounts>;
  /** Saves `job` and keeps its pointers and indexes in step; `before` (the record it replaces) spares writes. */
  save(job: Job, before?: Job | null): Promise<void>;
  /**
   * Reads, changes and saves one job so that no other writer's change in between is lost (Redis: a checked
   * write, tried again on a conflict). Only for shared backends; a local one is updated through `save`.
   */
  update?(id: string, change: (job: Job) => Job | null): Promise<Job | null>;
  /** Removes finished jobs last changed before `cutoff`; returns their ids. Redis expires them itself (TTLs). */
  prune(cutoff: number): Promise<string[]>;
  close(): Promise<void>;
}
