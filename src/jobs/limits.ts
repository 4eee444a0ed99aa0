import type Keyv from 'keyv';
import type { Clock } from '../util/clock.js';
import { FINAL_PHASES, type Job, type JobPhase } from './types.js';

/** The operator's limits (from the config). */
export interface LimitSettings {
  /** Jobs one user may have running at once. */
  perUser: number;
  /** Jobs one server may have running at once; 0 → no cap. */
  perGuild: number;
  /** Jobs one user may start per quota day; 0 → no quota. */
  dailyQuota: number;
  /** People with Manage Server have no quota. */
  quotaExemptAdmins: boolean;
  /** Hour (UTC) at which a quota day starts. */
  resetHourUtc: number;
  /** Jobs that may wait in the local queue in all. */
  maxQueue: number;
  /** Jobs one user may have waiting. */
  maxQueuedPerUser: number;
}

/** Who asks for a job, as the limits see it. */
export interface Requester {
  userId: string;
  /** null in DMs (no server cap there). */
  guildId: string | null;
  /** Has Manage Server where the request comes from. */
  manager: boolean;
}

/** Why a request is refused; the Discord layer turns it into a message. */
export type Refusal =
  | { reason: 'quota'; quota: number; renewsAt: number }
  | { reason: 'queue_full'; max: number }
  | { reason: 'user_queue_full'; max: number };

/** Phases that hold a slot: the upstream has (or is being sent) the job. */
export const RUNNING_PHASES: ReadonlySet<JobPhase> = new Set<JobPhase>(['submitting', 'tracking']);
/** Task statuses before the upstream starts work. */
const NOT_STARTED = new Set(['', 'NOT_START', 'SUBMITTED']);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * True while a job may be cancelled: waiting in the local queue, being sent (the cancel waits for the answer),
 * or accepted but not started upstream.
 */
export function isCancellable(job: Job): boolean {
  if (job.phase === 'queued' || job.phase === 'submitting') return true;
  return job.phase === 'tracking' && NOT_STARTED.has(job.task?.status ?? '');
}

/** The quota day `now` falls in (`YYYY-MM-DD` of its start, in UTC shifted by the reset hour) and its end. */
export function quotaDay(now: number, resetHourUtc: number): { day: string; renewsAt: number } {
  const start = Math.floor((now - resetHourUtc * HOUR) / DAY) * DAY;
  return { day: new Date(start).toISOString().slice(0, 10), renewsAt: start + DAY + resetHourUtc * HOUR };
}

/** True when the daily quota counts for this requester. */
export function quotaApplies(s: LimitSettings, r: Requester): boolean {
  return s.dailyQuota > 0 && !(s.quotaExemptAdmins && r.manager);
}

/**
 * What a limit decision needs of an active job: on Redis the store gives these from a small index instead of
 * reading every whole record (see `JobStore.activeView`).
 */
export type ActiveJob = Pick<Job, 'id' | 'phase' | 'ownerId' | 'createdAt'> & {
  message: Pick<Job['message'], 'guildId'>;
};

/** What one admission needs when nobody waits: running jobs of the user and of the server, and waiting jobs. */
export interface ActiveCounts {
  user: number;
  guild: number;
  queued: number;
  /** False while some active job is not counted yet (saved by a version without the counts): read them all. */
  complete: boolean;
}

/** A job as the limits see it: the fields of `ActiveJob` only (what the Redis active view keeps per job). */
export function activeViewOf(job: ActiveJob): ActiveJob {
  return {
    id: job.id,
    phase: job.phase,
    ownerId: job.ownerId,
    createdAt: job.createdAt,
    message: { guildId: job.message.guildId },
  };
}

/**
 * The counts of `ActiveCounts` kept in memory for a store one process writes alone (SQLite), in step with every
 * save: an admission then reads three numbers instead of sorting every active job.
 */
export class ActiveTally {
  private readonly byJob = new Map<string, ActiveJob>();
  private readonly users = new Map<string, number>();
  private readonly guilds = new Map<string, number>();
  private queued = 0;

  constructor(active: Iterable<ActiveJob>) {
    for (const job of active) this.set(job);
  }

  /** The job as saved now: counted by its phase, in place of what it was. */
  set(job: ActiveJob): void {
    const before = this.byJob.get(job.id);
    if (before) this.count(before, -1);
    if (FINAL_PHASES.has(job.phase)) {
      this.byJob.delete(job.id);
      return;
    }
    const entry = activeViewOf(job);
    this.byJob.set(job.id, entry);
    this.count(entry, 1);
  }

  counts(userId: string, guildId: string | null): ActiveCounts {
    return {
      user: this.users.get(userId) ?? 0,
      guild: guildId ? (this.guilds.get(guildId) ?? 0) : 0,
      queued: this.queued,
      complete: true,
    };
  }

  private count(job: ActiveJob, by: number): void {
    if (RUNNING_PHASES.has(job.phase)) {
      bump(this.users, job.ownerId, by);
      if (job.message.guildId) bump(this.guilds, job.message.guildId, by);
    } else if (job.phase === 'queued') this.queued += by;
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n === 0) counts.delete(key);
  else counts.set(key, n);
}

function sameLine(a: ActiveJob, b: ActiveJob): boolean {
  const guild = a.message.guildId;
  return a.ownerId === b.ownerId || (guild !== null && guild === b.message.guildId);
}

/** Active jobs counted the way the limits need them. */
export class Load {
  readonly running: ActiveJob[];
  /** Oldest first: the order the local queue serves them in. */
  readonly queued: ActiveJob[];

  constructor(active: readonly ActiveJob[]) {
    this.running = active.filter((j) => RUNNING_PHASES.has(j.phase));
    this.queued = active
      .filter((j) => j.phase === 'queued')
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /**
   * The load as far as one request of `r` can tell when no job waits: its user's and its server's running jobs
   * (stand-ins carrying only what the limits compare), no more of each than the limit `s` compares them with
   * (a server of 6,000 running jobs is not 6,000 stand-ins per decision). With jobs waiting, the queue order
   * matters: use the view.
   */
  static ofCounts(
    counts: ActiveCounts,
    r: { userId: string; guildId: string | null },
    s: Pick<LimitSettings, 'perUser' | 'perGuild'>,
  ): Load {
    if (counts.queued > 0) throw new Error('Load.ofCounts: jobs are waiting; build the load from the view');
    const stand = (i: number, ownerId: string, guildId: string | null): ActiveJob => ({
      id: `~${i}`,
      phase: 'tracking',
      ownerId,
      createdAt: 0,
      message: { guildId },
    });
    const users = Math.min(counts.user, s.perUser);
    const mine = Array.from({ length: users }, (_, i) => stand(i, r.userId, null));
    const guilds = r.guildId && s.perGuild > 0 ? Math.min(counts.guild, s.perGuild) : 0;
    const server = Array.from({ length: guilds }, (_, i) => stand(users + i, '', r.guildId));
    return new Load([...mine, ...server]);
  }

  /** True when one more job of `userId` in `guildId` fits beside `running`. */
  static fits(
    running: readonly ActiveJob[],
    s: LimitSettings,
    userId: string,
    guildId: string | null,
  ): boolean {
    const mine = running.filter((j) => j.ownerId === userId).length;
    if (mine >= s.perUser) return false;
    if (guildId === null || s.perGuild === 0) return true;
    return running.filter((j) => j.message.guildId === guildId).length < s.perGuild;
  }
}

/** What the queue would do now: the waiting jobs that start, and the users and servers still held up. */
interface Plan {
  go: ActiveJob[];
  /** Running jobs once `go` started. */
  running: ActiveJob[];
  /** Users with a job that must keep waiting: their later jobs wait behind it. */
  heldUsers: Set<string>;
  /** Servers at their cap with a job waiting: later jobs there wait behind it. */
  heldGuilds: Set<string>;
}

function guildFull(running: readonly ActiveJob[], s: LimitSettings, guildId: string | null): boolean {
  if (guildId === null || s.perGuild === 0) return false;
  return running.filter((j) => j.message.guildId === guildId).length >= s.perGuild;
}

function plan(load: Load, s: LimitSettings): Plan {
  const running = [...load.running];
  const go: ActiveJob[] = [];
  const heldUsers = new Set<string>();
  const heldGuilds = new Set<string>();
  for (const job of load.queued) {
    const guildId = job.message.guildId;
    const userHeld =
      heldUsers.has(job.ownerId) || running.filter((j) => j.ownerId === job.ownerId).length >= s.perUser;
    const serverHeld = guildId !== null && (heldGuilds.has(guildId) || guildFull(running, s, guildId));
    if (!userHeld && !serverHeld) {
      go.push(job);
      running.push(job);
      continue;
    }
    // It keeps waiting, and holds back the later jobs that wait for the same thing: its user's slot, or its
    // server's.
    if (userHeld) heldUsers.add(job.ownerId);
    if (serverHeld && guildId !== null) heldGuilds.add(guildId);
  }
  return { go, running, heldUsers, heldGuilds };
}

/**
 * Whether a new request runs now, waits in the queue or is refused (the quota is checked apart). It runs only
 * when a slot is free and no earlier job waits for the same user's or server's slot, so no one jumps the queue.
 */
export function admission(load: Load, s: LimitSettings, r: Requester): 'run' | 'queue' | Refusal {
  const p = plan(load, s);
  const held = p.heldUsers.has(r.userId) || (r.guildId !== null && p.heldGuilds.has(r.guildId));
  if (!held && Load.fits(p.running, s, r.userId, r.guildId)) return 'run';
  if (load.queued.length >= s.maxQueue) return { reason: 'queue_full', max: s.maxQueue };
  if (load.queued.filter((j) => j.ownerId === r.userId).length >= s.maxQueuedPerUser) {
    return { reason: 'user_queue_full', max: s.maxQueuedPerUser };
  }
  return 'queue';
}

/**
 * The waiting jobs that may start now, in queue order (each one taken counts against the next); a job never
 * overtakes an earlier one that waits for the same user's or server's slot.
 */
export function dispatchable(load: Load, s: LimitSettings): ActiveJob[] {
  return plan(load, s).go;
}

/** Each queued job's position: 1 + the queued jobs before it that share its user or its server. */
export function positions(queued: readonly ActiveJob[]): Map<string, number> {
  const out = new Map<string, number>();
  queued.forEach((job, i) => {
    out.set(job.id, 1 + queued.slice(0, i).filter((other) => sameLine(other, job)).length);
  });
  return out;
}

/** The position a new request of `r` would take at the end of the queue. */
export function positionOf(queued: readonly ActiveJob[], r: Requester): number {
  return (
    1 +
    queued.filter((j) => j.ownerId === r.userId || (r.guildId !== null && j.message.guildId === r.guildId))
      .length
  );
}

/**
 * Jobs started per user and quota day, on the jobs' keyv (`usage:<userId>:<day>`, expiring two days later).
 * Changes are serialised in-process so concurrent requests never lose a count.
 */
export class UsageStore {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly keyv: Keyv,
    private readonly clock: Clock,
    private readonly resetHourUtc: number,
  ) {}

  private key(userId: string, at: number): string {
    return `usage:${userId}:${quotaDay(at, this.resetHourUtc).day}`;
  }

  /** Jobs `userId` started in the current quota day. */
  async used(userId: string): Promise<number> {
    await this.chain;
    const n = await this.keyv.get<number>(this.key(userId, this.clock.now()));
    return typeof n === 'number' ? n : 0;
  }

  /** Adds `delta` to the count of the quota day `at` falls in (a refund passes -1 and the job's start). */
  add(userId: string, delta: number, at = this.clock.now()): Promise<void> {
    const run = async () => {
      const key = this.key(userId, at);
      const n = await this.keyv.get<number>(key);
      const next = Math.max(0, (typeof n === 'number' ? n : 0) + delta);
      await this.keyv.set(key, next, 2 * DAY);
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
