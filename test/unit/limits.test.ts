import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import {
  ActiveTally,
  admission,
  dispatchable,
  isCancellable,
  type LimitSettings,
  Load,
  positionOf,
  positions,
  quotaApplies,
  quotaDay,
  UsageStore,
} from '../../src/jobs/limits.js';
import type { Job } from '../../src/jobs/types.js';
import { FakeClock } from '../support/fakeClock.js';
import { makeJob } from '../support/jobs.js';

const S: LimitSettings = {
  perUser: 2,
  perGuild: 3,
  dailyQuota: 5,
  quotaExemptAdmins: true,
  resetHourUtc: 0,
  maxQueue: 4,
  maxQueuedPerUser: 2,
};
const G1 = '900000000000000001';
const G2 = '900000000000000002';
let seq = 0;
/** A job of `owner` in guild `guild` (null: a DM), in `phase`, created in order. */
function job(owner: string, guild: string | null, phase: Job['phase']): Job {
  seq += 1;
  return makeJob({
    id: `j${seq}`,
    ownerId: owner,
    phase,
    createdAt: seq,
    message: { guildId: guild, channelId: '1', messageId: null, interaction: null },
  });
}
const who = (userId: string, guildId: string | null = G1, manager = false) => ({ userId, guildId, manager });

describe('quotaDay', () => {
  const midnight = Date.UTC(2025, 5, 10);
  it('starts at UTC midnight by default and names the day', () => {
    expect(quotaDay(midnight + 1, 0)).toEqual({ day: '2025-06-10', renewsAt: midnight + 86_400_000 });
    expect(quotaDay(midnight - 1, 0).day).toBe('2025-06-09');
  });

  it('follows a configured reset hour', () => {
    const five = midnight + 5 * 3_600_000;
    expect(quotaDay(five, 6).day).toBe('2025-06-09');
    expect(quotaDay(five, 6).renewsAt).toBe(midnight + 6 * 3_600_000);
    expect(quotaDay(midnight + 6 * 3_600_000, 6).day).toBe('2025-06-10');
  });
});

describe('quotaApplies', () => {
  it('spares managers only when the setting says so, and nobody without a quota', () => {
    expect(quotaApplies(S, who('a'))).toBe(true);
    expect(quotaApplies(S, who('a', G1, true))).toBe(false);
    expect(quotaApplies({ ...S, quotaExemptAdmins: false }, who('a', G1, true))).toBe(true);
    expect(quotaApplies({ ...S, dailyQuota: 0 }, who('a'))).toBe(false);
  });
});

describe('isCancellable', () => {
  it('while waiting, being sent or not yet started upstream; never once started or final', () => {
    const at = (phase: Job['phase'], status?: string) =>
      isCancellable(
        makeJob({
          phase,
          task: status === undefined ? null : ({ ...(makeJob().task ?? {}), status } as Job['task']),
        }),
      );
    expect(at('queued')).toBe(true);
    expect(at('submitting')).toBe(true);
    expect(at('tracking', '')).toBe(true);
    expect(at('tracking', 'NOT_START')).toBe(true);
    expect(at('tracking', 'SUBMITTED')).toBe(true);
    expect(at('tracking', 'IN_PROGRESS')).toBe(false);
    expect(at('modal', 'MODAL')).toBe(false);
    expect(at('succeeded', 'SUCCESS')).toBe(false);
    expect(at('failed', 'FAILURE')).toBe(false);
  });
});

describe('admission', () => {
  it('runs while the user and the server have a free slot', () => {
    const load = new Load([job('a', G1, 'tracking')]);
    expect(admission(load, S, who('a'))).toBe('run');
  });

  it('queues past the per-user limit, and past the per-server cap', () => {
    expect(admission(new Load([job('a', G1, 'tracking'), job('a', G2, 'submitting')]), S, who('a'))).toBe(
      'queue',
    );
    const busy = new Load([job('b', G1, 'tracking'), job('c', G1, 'tracking'), job('d', G1, 'tracking')]);
    expect(admission(busy, S, who('a'))).toBe('queue');
    expect(admission(busy, S, who('a', G2))).toBe('run');
    expect(admission(busy, S, who('a', null))).toBe('run'); // no server cap in DMs
    expect(admission(busy, { ...S, perGuild: 0 }, who('a'))).toBe('run');
  });

  it('does not let a request jump ahead of a waiting job of the same user, or of the same full server', () => {
    const mine = new Load([job('a', G1, 'tracking'), job('a', G1, 'tracking'), job('a', G2, 'queued')]);
    expect(admission(mine, S, who('a', G1))).toBe('queue');
    expect(admission(mine, S, who('b', G2))).toBe('run'); // a waits for a slot of their own, not of G2
    const full = [job('x', G1, 'tracking'), job('y', G1, 'tracking'), job('z', G1, 'tracking')];
    const server = new Load([...full, job('a', G1, 'queued')]);
    expect(admission(server, S, who('b', G1))).toBe('queue');
    expect(admission(server, S, who('b', G2))).toBe('run');
  });

  it('a waiting job that could start now counts as started', () => {
    const load = new Load([job('a', G1, 'tracking'), job('a', G1, 'queued')]);
    expect(admission(load, S, who('a'))).toBe('queue');
  });

  it('refuses past the queue caps', () => {
    const full = new Load([1, 2, 3, 4].map((i) => job(`u${i}`, G2, 'queued')));
    expect(admission(full, { ...S, perUser: 0 }, who('a'))).toEqual({ reason: 'queue_full', max: 4 });
    const mine = new Load([
      job('a', G1, 'tracking'),
      job('a', G1, 'tracking'),
      job('a', G1, 'queued'),
      job('a', G1, 'queued'),
    ]);
    expect(admission(mine, S, who('a'))).toEqual({ reason: 'user_queue_full', max: 2 });
  });

  it('modal and final jobs hold no slot', () => {
    const load = new Load([job('a', G1, 'modal'), job('a', G1, 'succeeded'), job('a', G1, 'failed')]);
    expect(load.running).toHaveLength(0);
    expect(admission(load, { ...S, perUser: 1 }, who('a'))).toBe('run');
  });
});

describe('Load.ofCounts (Redis, nobody waiting: counters instead of every active job)', () => {
  it('decides as the whole load would, for every mix of running jobs, users, servers and DMs', () => {
    const users = ['a', 'b', 'c'];
    const guilds = [G1, G2, null];
    const phases: Job['phase'][] = ['tracking', 'submitting', 'modal'];
    let state = 7;
    const pick = <T>(xs: readonly T[]): T => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return xs[state % xs.length] as T;
    };
    for (const settings of [S, { ...S, perGuild: 0 }, { ...S, maxQueue: 0 }, { ...S, maxQueuedPerUser: 0 }]) {
      for (let round = 0; round < 200; round++) {
        const active = Array.from({ length: round % 9 }, () => job(pick(users), pick(guilds), pick(phases)));
        const r = who(pick(users), pick(guilds));
        const running = new Load(active).running;
        const counts = {
          user: running.filter((j) => j.ownerId === r.userId).length,
          guild: running.filter((j) => r.guildId !== null && j.message.guildId === r.guildId).length,
          queued: 0,
          complete: true,
        };
        expect(admission(Load.ofCounts(counts, r, settings), settings, r)).toEqual(
          admission(new Load(active), settings, r),
        );
      }
    }
  });

  it('holds no more stand-ins than the limits compare: a busy server costs a decision no more', () => {
    const busy = { user: 5_000, guild: 6_000, queued: 0, complete: true };
    expect(Load.ofCounts(busy, who('a', G1), S).running).toHaveLength(S.perUser + S.perGuild);
    expect(Load.ofCounts(busy, who('a', G1), { ...S, perGuild: 0 }).running).toHaveLength(S.perUser);
  });

  it('is refused when jobs wait: their order matters, so the whole load is read', () => {
    expect(() => Load.ofCounts({ user: 0, guild: 0, queued: 1, complete: true }, who('a'), S)).toThrow();
  });
});

describe('ActiveTally (SQLite: the counts kept in memory with every save)', () => {
  it('counts as a fresh count of the active jobs would, through any sequence of saves', () => {
    const users = ['a', 'b', 'c'];
    const guilds = [G1, G2, null];
    const phases: Job['phase'][] = ['queued', 'submitting', 'tracking', 'modal', 'succeeded', 'failed'];
    let state = 11;
    const pick = <T>(xs: readonly T[]): T => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return xs[state % xs.length] as T;
    };
    const jobs = Array.from({ length: 12 }, () => job(pick(users), pick(guilds), 'queued'));
    const tally = new ActiveTally(jobs.slice(0, 4));
    const now = new Map(jobs.slice(0, 4).map((j) => [j.id, j]));
    for (let step = 0; step < 600; step++) {
      const saved = { ...pick(jobs), phase: pick(phases) };
      tally.set(saved);
      now.set(saved.id, saved);
      const active = [...now.values()].filter((j) => j.phase !== 'succeeded' && j.phase !== 'failed');
      const running = new Load(active).running;
      const r = who(pick(users), pick(guilds));
      expect(tally.counts(r.userId, r.guildId)).toEqual({
        user: running.filter((j) => j.ownerId === r.userId).length,
        guild: running.filter((j) => r.guildId !== null && j.message.guildId === r.guildId).length,
        queued: active.filter((j) => j.phase === 'queued').length,
        complete: true,
      });
    }
  });
});

describe('dispatchable and positions', () => {
  it('starts waiting jobs in order while they fit, each counting against the next', () => {
    const running = job('a', G1, 'tracking');
    const q1 = job('a', G1, 'queued');
    const q2 = job('a', G1, 'queued');
    const q3 = job('b', G1, 'queued');
    const load = new Load([running, q3, q2, q1]);
    expect(load.queued.map((j) => j.id)).toEqual([q1.id, q2.id, q3.id]);
    // a has one free slot: q1 goes; q2 waits for a's next slot; b's q3 fits the server (cap 3)
    expect(dispatchable(load, S).map((j) => j.id)).toEqual([q1.id, q3.id]);
  });

  it('a job held by its user limit does not hold up others in its server', () => {
    const q1 = job('a', G1, 'queued');
    const q2 = job('b', G1, 'queued');
    const load = new Load([job('a', G1, 'tracking'), job('a', G1, 'tracking'), q1, q2]);
    expect(dispatchable(load, S).map((j) => j.id)).toEqual([q2.id]);
  });

  it('never lets a job overtake an earlier one of the same full server that still waits', () => {
    const full = [job('x', G1, 'tracking'), job('y', G1, 'tracking'), job('z', G1, 'tracking')];
    const first = job('a', G1, 'queued');
    const other = job('b', G2, 'queued');
    const load = new Load([...full, first, other]);
    expect(dispatchable(load, S).map((j) => j.id)).toEqual([other.id]);
  });

  it('positions count the waiting jobs of the same user or server ahead', () => {
    const a1 = job('a', G1, 'queued');
    const b1 = job('b', G2, 'queued');
    const a2 = job('a', G2, 'queued');
    const c1 = job('c', G1, 'queued');
    const p = positions([a1, b1, a2, c1]);
    expect([p.get(a1.id), p.get(b1.id), p.get(a2.id), p.get(c1.id)]).toEqual([1, 1, 3, 2]);
    expect(positionOf([a1, b1, a2, c1], who('d', G2))).toBe(3);
    expect(positionOf([a1, b1, a2, c1], who('d', null))).toBe(1);
  });
});

describe('UsageStore', () => {
  it('counts per user and quota day, starts again at the reset, and takes refunds for the right day', async () => {
    const clock = new FakeClock(Date.UTC(2025, 5, 10, 23, 0));
    const usage = new UsageStore(new Keyv(), clock, 0);
    await Promise.all([usage.add('a', 1), usage.add('a', 1), usage.add('b', 1)]);
    expect(await usage.used('a')).toBe(2);
    expect(await usage.used('b')).toBe(1);
    const yesterday = clock.now();
    await clock.advance(2 * 3_600_000); // past UTC midnight
    expect(await usage.used('a')).toBe(0);
    await usage.add('a', 1);
    await usage.add('a', -1, yesterday); // a job of yesterday gives its unit back to yesterday
    expect(await usage.used('a')).toBe(1);
    await usage.add('a', -5);
    expect(await usage.used('a')).toBe(0); // never below zero
  });
});
