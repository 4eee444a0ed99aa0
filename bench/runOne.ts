import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDiscord, type FakeUser } from '../emulators/discord/index.js';
import { freePort } from '../emulators/freePort.js';
import { delays, type Injected, percentile, physicalFloor, type RunResult, showsResult } from './measure.js';
import { startBot, startNaive, stopProcess, usageOf } from './processes.js';
import { CHANNEL_RATE_LIMIT, GLOBAL_RATE_LIMIT, POLL_INTERVAL_MS, plan, type Scenario } from './scenarios.js';
import { API_KEY, TimedUpstream } from './upstream.js';

/** naive: a timer per job; polling: the bot without callbacks; callbacks: the bot with PUBLIC_URL set. */
export type TrackerKind = 'naive' | 'polling' | 'callbacks';
export const TRACKERS: TrackerKind[] = ['naive', 'polling', 'callbacks'];

const LABELS: Record<TrackerKind, string> = {
  naive: 'naive (timer per job)',
  polling: 'bot, polling only',
  callbacks: 'bot, callbacks + polling',
};

const GUILD = '500000000000000001';
const channelId = (i: number) => String(500_000_000_000_100_000n + BigInt(i));
/** One requester per job, so the per-user limits (3 running at once by default) never hold a job back. */
export const userOf = (i: number): FakeUser => ({
  id: String(600_000_000_000_000_000n + BigInt(i)),
  username: `user${i}`,
  locale: i % 5 === 0 ? 'zh-CN' : 'en-US',
});

/** One scenario with one tracker, from fresh fakes and a fresh store to the measured result. */
export async function runOne(scenario: Scenario, kind: TrackerKind): Promise<RunResult> {
  const jobs = plan(scenario);
  const dir = mkdtempSync(join(tmpdir(), `mj-bench-${scenario.id}-${kind}-`));
  const discord = await FakeDiscord.start({
    guilds: [
      {
        id: GUILD,
        name: 'Bench',
        channels: Array.from({ length: scenario.channels }, (_, i) => ({ id: channelId(i) })),
      },
    ],
    channelRateLimit: CHANNEL_RATE_LIMIT,
    globalRateLimit: GLOBAL_RATE_LIMIT,
    echoBotMessages: false,
    defaultTimeoutMs: 30 * 60_000,
  });
  const upstream = await TimedUpstream.start(jobs, kind === 'callbacks');
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    DISCORD_TOKEN: discord.token,
    DISCORD_API_BASE: discord.restApi,
    DISCORD_GUILD_ID: GUILD,
    MJ_BASE_URL: upstream.sim.baseUrl,
    MJ_API_KEY: API_KEY,
    STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
    POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // The HTTP server answers /healthz (readiness) in both modes; callbacks only with PUBLIC_URL.
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    ...(kind === 'callbacks' ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  };
  // BENCH_PROF=1: a V8 CPU profile of the tracker, kept with the run (BENCH_KEEP=1).
  // BENCH_NODE_ARGS: Node flags NODE_OPTIONS refuses (e.g. --trace-gc), on the bot's command line.
  const nodeArgs = [
    ...(process.env.BENCH_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []),
    ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const child =
    kind === 'naive'
      ? await startNaive(env, dir, nodeArgs)
      : await startBot(env, dir, `http://127.0.0.1:${port}/healthz`, nodeArgs);
  const pid = child.pid ?? 0;
  const before = usageOf(pid); // start-up (loading the code, logging in) is not what is measured
  const started = Date.now();
  const injected: Injected[] = [];
  const timers = jobs.map((job) =>
    setTimeout(() => {
      const injectedAt = Date.now();
      const handle = discord.command({
        name: 'imagine',
        user: userOf(job.index),
        guildId: GUILD,
        channelId: channelId(job.channel),
        options: [{ name: 'prompt', type: 3, value: job.prompt }],
      });
      handle.response.catch(() => undefined);
      injected.push({
        prompt: job.prompt,
        interactionId: handle.id,
        token: handle.token,
        injectedAt,
      });
    }, job.arriveAt),
  );
  const lastDone = Math.max(...jobs.map((j) => j.arriveAt + j.durationMs));
  const horizon = started + lastDone + scenario.graceMs;
  // Wait until every result is shown or the horizon passes.
  while (Date.now() < horizon) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    let shown = 0;
    for (const m of discord.messages.values()) if (showsResult(m)) shown += 1;
    if (shown >= jobs.length) break;
  }
  const after = usageOf(pid);
  const stats = { cpuSeconds: after.cpuSeconds - before.cpuSeconds, peakRssMb: after.peakRssMb };
  const wallSeconds = (Date.now() - started) / 1000;
  for (const t of timers) clearTimeout(t);
  // A profile is written at exit: give a bot still draining its writes time to get there (no SIGKILL at 15 s).
  await stopProcess(child, nodeArgs.length > 0 ? 180_000 : undefined);

  const messageOf = new Map<string, string>();
  for (const m of discord.messages.values()) if (m.interactionId) messageOf.set(m.interactionId, m.id);
  const calls = discord.calls.filter((c) => c.at >= started);
  const { acks, finals, missing } = delays(
    calls,
    injected,
    upstream.completedAt,
    (id) => messageOf.get(id) ?? null,
  );
  const counts = upstream.counts();
  if (upstream.callbackAnswered.length > 0) {
    const p = (q: number) => percentile(upstream.callbackAnswered, q);
    process.stderr.write(`bench:   SUCCESS callback answered after p50 ${p(50)} ms, p95 ${p(95)} ms\n`);
  }
  const floor = physicalFloor(
    jobs.flatMap((j) => {
      const at = upstream.completedAt.get(j.prompt);
      return at === undefined ? [] : [{ channel: String(j.channel), at }];
    }),
    CHANNEL_RATE_LIMIT,
    // Every job here ends within 15 minutes of its interaction: its final goes through the interaction's token,
    // which Discord does not count against the bot-wide limit.
    null,
  );
  const result: RunResult = {
    scenario: scenario.title,
    tracker: LABELS[kind],
    jobs: jobs.length,
    upstreamPerJob: counts.total / jobs.length,
    upstreamSubmitsPerJob: counts.submits / jobs.length,
    discordPerJob: calls.length / jobs.length,
    rateLimited: discord.rateLimited,
    finalP50Ms: percentile(finals, 50),
    finalP95Ms: percentile(finals, 95),
    boundP95Ms: percentile(floor, 95),
    ackP99Ms: percentile(acks, 99),
    peakRssMb: stats.peakRssMb,
    cpuSeconds: stats.cpuSeconds,
    missing,
    reads: upstream.reads(),
    wallSeconds,
  };
  await upstream.close();
  await discord.close();
  if (process.env.BENCH_KEEP === '1') {
    // For diagnosis: every write and completion of the run.
    const trace = {
      completions: jobs.map((j) => ({
        prompt: j.prompt,
        channel: j.channel,
        at: upstream.completedAt.get(j.prompt),
      })),
      injected,
      calls: calls.map((c) => ({
        m: c.method,
        path: c.path,
        at: c.at,
        status: c.status,
        files: c.files.length,
      })),
    };
    writeFileSync(join(dir, 'trace.json'), JSON.stringify(trace));
  }
  if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  else
    process.stderr.write(
      `bench:   kept ${dir}\n${readFileSync(join(dir, 'tracker.log'), 'utf8').slice(-2_000)}\n`,
    );
  return result;
}
