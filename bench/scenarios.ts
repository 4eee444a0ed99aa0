/**
 * The bench scenarios. Time is compressed about 5×: a job lasts 9–14 s instead of ~45–70 s, with a progress step
 * every ~1.5–2 s, and both trackers poll every second (about 5 s of real time). Discord's limits are NOT compressed
 * (5 message writes per 5 s per channel, as the fake enforces), which makes every scenario harsher than real life.
 */
export interface Scenario {
  id: string;
  title: string;
  jobs: number;
  channels: number;
  /** Jobs arrive at random times spread over this window (ms). */
  arrivalMs: number;
  /** Each job takes a random duration in this range, from submit to SUCCESS (ms). */
  durationMs: [number, number];
  /** How long after the last planned completion the run may last before results count as missing (ms). */
  graceMs: number;
  /**
   * Run the trackers side by side (each with its own fakes and process) rather than one after the other: for the
   * light scenarios, where the machine stays mostly idle, to keep the whole bench short.
   */
  parallel: boolean;
}

/** Poll interval of both trackers (POLL_INTERVAL_MS of the bot, the timer of the naive tracker). */
export const POLL_INTERVAL_MS = 1_000;

/** The fake Discord's per-channel budget: Discord's documented order (5 message writes per 5 s per channel). */
export const CHANNEL_RATE_LIMIT = { limit: 5, windowMs: 5_000 };
/** Discord's bot-wide limit: 50 calls a second with the bot token (interaction routes exempt), as the fake enforces it. */
export const GLOBAL_RATE_LIMIT = { limit: 50, windowMs: 1_000 };

/** Size of the final image the upstream serves (real grids are 1–7 MB; upload cost grows with it). */
export const FINAL_IMAGE_BYTES = Number(process.env.BENCH_IMAGE_KB ?? 100) * 1024;

export const SCENARIOS: Scenario[] = [
  {
    id: 's500',
    title: '500 jobs over 20 channels',
    jobs: 500,
    channels: 20,
    arrivalMs: 60_000,
    durationMs: [9_000, 14_000],
    graceMs: 30_000,
    parallel: true,
  },
  {
    id: 's50',
    title: '50 jobs in one channel',
    jobs: 50,
    channels: 1,
    arrivalMs: 100_000,
    durationMs: [9_000, 14_000],
    graceMs: 40_000,
    parallel: true,
  },
  {
    id: 's2000',
    title: '2,000 active jobs at once',
    jobs: 2_000,
    channels: 200,
    arrivalMs: 20_000,
    durationMs: [30_000, 80_000],
    graceMs: 40_000,
    parallel: false,
  },
];

/** One step of a job's upstream timeline: at `at` ms after submit, the task moves to `status` (`pct` %). */
export interface Step {
  at: number;
  kind: 'start' | 'progress' | 'succeed';
  pct?: number;
}

/** SUBMITTED → IN_PROGRESS 15/31/46/62/93 % → SUCCESS, spread over `durationMs`, each step a little jittered. */
export function timeline(durationMs: number, random: () => number): Step[] {
  const at = (f: number) => Math.round(durationMs * (f + (random() - 0.5) * 0.04));
  return [
    { at: at(0.06), kind: 'start' },
    ...[15, 31, 46, 62, 93].map((pct, i) => ({ at: at(0.22 + i * 0.15), kind: 'progress' as const, pct })),
    { at: durationMs, kind: 'succeed' },
  ];
}

/** A deterministic random source (mulberry32), so both trackers face the very same arrivals and timelines. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The plan of a run: when each job arrives, in which channel, and how long it takes upstream. */
export interface PlannedJob {
  index: number;
  prompt: string;
  channel: number;
  arriveAt: number;
  durationMs: number;
}

export function plan(s: Scenario, seed = 42): PlannedJob[] {
  const random = seeded(seed);
  const jobs: PlannedJob[] = [];
  for (let i = 0; i < s.jobs; i++) {
    const [lo, hi] = s.durationMs;
    jobs.push({
      index: i,
      prompt: `bench ${s.id} job ${i} a lighthouse in a storm --ar 3:2`,
      channel: i % s.channels,
      arriveAt: Math.round(random() * s.arrivalMs),
      durationMs: Math.round(lo + random() * (hi - lo)),
    });
  }
  return jobs.sort((a, b) => a.arriveAt - b.arriveAt);
}
