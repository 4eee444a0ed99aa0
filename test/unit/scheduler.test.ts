import { describe, expect, it } from 'vitest';
import { ChannelBudget } from '../../src/delivery/budget.js';
import { type Edit, EditScheduler } from '../../src/delivery/scheduler.js';
import { drive, FakeClock, settle } from '../support/fakeClock.js';

interface State {
  v: number;
}

interface Sent {
  channel: string;
  key: string;
  v: number;
  at: number;
}

/** A scheduler whose writes are recorded; `hold(key)` makes that key's writes wait until released. */
function setup(opts: { limit?: number; reserve?: number; global?: number } = {}) {
  const clock = new FakeClock();
  const sent: Sent[] = [];
  const held = new Map<string, Promise<void>>();
  const inFlight = new Map<string, number>();
  let mostInFlightPerKey = 0;
  const current = new Map<string, string>();
  const scheduler = new EditScheduler<State & { channel: string; key: string }>({
    clock,
    budget: new ChannelBudget(clock, opts.limit ?? 5, 5_000),
    global: opts.global ? new ChannelBudget(clock, opts.global, 1_000) : null,
    finalReserve: opts.reserve ?? 2,
    newer: (a, b) => a.v >= b.v,
    async send(item) {
      const n = (inFlight.get(item.key) ?? 0) + 1;
      inFlight.set(item.key, n);
      mostInFlightPerKey = Math.max(mostInFlightPerKey, n);
      sent.push({ channel: item.channel, key: item.key, v: item.v, at: clock.now() });
      await held.get(item.key);
      inFlight.set(item.key, n - 1);
      current.set(item.key, `${item.v}`);
    },
    onError: (err) => {
      throw err;
    },
  });
  const edit = (
    channel: string,
    key: string,
    v: number,
    final = false,
    ready?: Promise<unknown>,
    soon = false,
  ) => {
    const e: Edit<State & { channel: string; key: string }> = {
      channelId: channel,
      key,
      item: { channel, key, v },
      final,
      soon,
      ...(ready ? { ready } : {}),
    };
    return scheduler.submit(e);
  };
  const hold = (key: string) => {
    let release: () => void = () => undefined;
    held.set(
      key,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      held.delete(key);
      release();
    };
  };
  return { clock, sent, scheduler, edit, hold, current, most: () => mostInFlightPerKey };
}

/** The largest number of writes to `channel` in any window of `windowMs` starting at a write. */
function busiestWindow(sent: Sent[], windowMs: number, channel?: string): number {
  const mine = sent.filter((s) => channel === undefined || s.channel === channel);
  return Math.max(0, ...mine.map((s) => mine.filter((d) => d.at >= s.at && d.at < s.at + windowMs).length));
}

describe('EditScheduler', () => {
  it('writes only the latest state of a message that waited for the budget', async () => {
    const { clock, sent, scheduler, edit } = setup({ limit: 1, reserve: 0 });
    void edit('c', 'a', 1);
    void edit('c', 'b', 1);
    void edit('c', 'b', 2);
    void edit('c', 'b', 3);
    await drive(clock, scheduler.idle());
    expect(sent.map((s) => `${s.key}${s.v}`)).toEqual(['a1', 'b3']);
  });

  it('sends final states before progress states that waited longer', async () => {
    const { clock, sent, scheduler, edit } = setup({ limit: 1, reserve: 0 });
    void edit('c', 'p0', 1);
    void edit('c', 'p1', 1);
    void edit('c', 'p2', 1);
    void edit('c', 'done', 9, true);
    await drive(clock, scheduler.idle());
    expect(sent.map((s) => s.key)).toEqual(['p0', 'done', 'p1', 'p2']);
  });

  it("sends a new message's first state before other progress states, after final ones", async () => {
    const { clock, sent, scheduler, edit } = setup({ limit: 1, reserve: 0 });
    void edit('c', 'p0', 1);
    void edit('c', 'p1', 1);
    void scheduler.submit({
      channelId: 'c',
      key: 'new',
      item: { channel: 'c', key: 'new', v: 1 },
      final: false,
      first: true,
    });
    void edit('c', 'done', 9, true);
    await drive(clock, scheduler.idle());
    expect(sent.map((s) => s.key)).toEqual(['p0', 'done', 'new', 'p1']);
  });

  it('keeps part of every window for final states, so a result never queues behind progress', async () => {
    const { clock, sent, scheduler, edit } = setup({ limit: 5, reserve: 2 });
    for (let i = 0; i < 10; i++) void edit('c', `p${i}`, 1);
    await settle();
    expect(sent).toHaveLength(3); // progress may use 3 of the 5 writes
    await clock.advance(100);
    void edit('c', 'done', 9, true);
    await settle();
    expect(sent.at(-1)).toMatchObject({ key: 'done', at: clock.now() }); // at once, not 5 s later
    await drive(clock, scheduler.idle());
    expect(sent).toHaveLength(11);
    expect(busiestWindow(sent, 5_000)).toBeLessThanOrEqual(5);
  });

  it('keeps a write for each job about to end, so their results go out together at once', async () => {
    const { clock, sent, scheduler, edit } = setup({ limit: 5, reserve: 2 });
    for (let i = 0; i < 4; i++) void edit('c', `ending${i}`, 93, false, undefined, true); // at 93 %
    await settle();
    expect(sent).toHaveLength(1); // four about to end: progress may use 1 write of 5
    for (let i = 0; i < 10; i++) void edit('c', `p${i}`, 10);
    await clock.advance(200);
    expect(sent).toHaveLength(1);
    for (let i = 0; i < 4; i++) void edit('c', `ending${i}`, 100, true);
    await settle();
    expect(
      sent
        .slice(1)
        .map((s) => `${s.key}@${s.v}`)
        .sort(),
    ).toEqual(['ending0@100', 'ending1@100', 'ending2@100', 'ending3@100']);
    expect(new Set(sent.slice(1).map((s) => s.at))).toEqual(new Set([clock.now()]));
    await drive(clock, scheduler.idle());
    expect(busiestWindow(sent, 5_000)).toBeLessThanOrEqual(5);
  });

  it('never exceeds the channel budget; channels do not wait for each other', async () => {
    const { clock, sent, scheduler, edit } = setup({ limit: 5, reserve: 0 });
    for (let i = 0; i < 20; i++) void edit('busy', `m${i}`, 1, i % 3 === 0);
    await clock.advance(1_000);
    void edit('quiet', 'q', 1);
    await settle();
    expect(sent.find((s) => s.channel === 'quiet')?.at).toBe(clock.now());
    await drive(clock, scheduler.idle());
    expect(sent.filter((s) => s.channel === 'busy')).toHaveLength(20);
    expect(busiestWindow(sent, 5_000, 'busy')).toBe(5);
  });

  it('lets a slow write or a pending download hold up only its own message', async () => {
    const { clock, sent, scheduler, edit, hold } = setup({ limit: 5, reserve: 0 });
    const release = hold('upload');
    void edit('c', 'upload', 1, true);
    let downloaded: () => void = () => undefined;
    const download = new Promise<void>((resolve) => {
      downloaded = resolve;
    });
    void edit('c', 'final-image', 9, true, download);
    void edit('c', 'other', 1);
    void edit('d', 'elsewhere', 1);
    await settle();
    expect(sent.map((s) => s.key).sort()).toEqual(['elsewhere', 'other', 'upload']);
    downloaded();
    await settle();
    expect(sent.map((s) => s.key)).toContain('final-image');
    release();
    await drive(clock, scheduler.idle());
  });

  it('has one write in flight per message: a newer state waits for the answer to the older', async () => {
    const { clock, sent, scheduler, edit, hold, current, most } = setup({ limit: 5, reserve: 0 });
    const release = hold('a');
    const first = edit('c', 'a', 1);
    await settle();
    const second = edit('c', 'a', 2, true);
    await settle();
    expect(sent).toHaveLength(1);
    release();
    await drive(clock, Promise.all([first, second, scheduler.idle()]));
    expect(sent.map((s) => s.v)).toEqual([1, 2]);
    expect(current.get('a')).toBe('2');
    expect(most()).toBe(1);
  });

  it('counts a write until Discord answered it, not from when it left', async () => {
    const { clock, sent, scheduler, edit, hold } = setup({ limit: 1, reserve: 0 });
    const release = hold('slow');
    void edit('c', 'slow', 1);
    await clock.advance(3_000); // an upload that takes 3 s
    release();
    await settle();
    void edit('c', 'next', 1);
    await drive(clock, scheduler.idle());
    expect(sent.map((s) => [s.key, s.at - (sent[0]?.at ?? 0)])).toEqual([
      ['slow', 0],
      ['next', 8_000],
    ]);
  });

  it('keeps within a global budget across channels, final states first', async () => {
    const { clock, sent, scheduler, edit } = setup({ limit: 5, reserve: 0, global: 10 });
    for (let c = 0; c < 6; c++) for (let i = 0; i < 3; i++) void edit(`c${c}`, `c${c}m${i}`, 1);
    await settle();
    void edit('c9', 'final', 9, true);
    await drive(clock, scheduler.idle(), 50);
    expect(busiestWindow(sent, 1_000)).toBeLessThanOrEqual(10);
    // progress leaves a fifth of the global window to finals: the result went out with the first wave
    expect(sent.findIndex((s) => s.key === 'final')).toBeLessThan(10);
    expect(sent).toHaveLength(19);
  });

  it('writes through an interaction token take nothing of the global budget (Discord does not count them)', async () => {
    const { clock, sent, scheduler } = setup({ limit: 5, reserve: 0, global: 2 });
    const submit = (channel: string, key: string, bot: boolean) =>
      scheduler.submit({ channelId: channel, key, item: { channel, key, v: 1 }, final: true, bot });
    for (let c = 0; c < 6; c++) void submit(`t${c}`, `token${c}`, false);
    for (let c = 0; c < 4; c++) void submit(`b${c}`, `bot${c}`, true);
    await settle();
    // At once: every token write (their channels have room) and the two bot-token writes the global window holds.
    expect(sent.map((s) => s.key).sort()).toEqual([
      'bot0',
      'bot1',
      'token0',
      'token1',
      'token2',
      'token3',
      'token4',
      'token5',
    ]);
    await drive(clock, scheduler.idle(), 50);
    expect(sent).toHaveLength(10);
    expect(
      busiestWindow(
        sent.filter((s) => s.key.startsWith('bot')),
        1_000,
      ),
    ).toBeLessThanOrEqual(2);
  });
});
