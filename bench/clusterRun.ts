import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shardOf } from '../emulators/discord/gateway.js';
import { FakeDiscord } from '../emulators/discord/index.js';
import { freePort } from '../emulators/freePort.js';
import { startRedis } from '../test/support/redis.js';
import { countingProxy } from './clusterProxy.js';
import { delays, type Injected, percentile, physicalFloor, type RunResult, showsResult } from './measure.js';
import { startBot, stopProcess, usageOf } from './processes.js';
import { userOf } from './runOne.js';
import { CHANNEL_RATE_LIMIT, GLOBAL_RATE_LIMIT, POLL_INTERVAL_MS, plan, type Scenario } from './scenarios.js';
import { API_KEY, TimedUpstream } from './upstream.js';

/** Issue 10 item 9: 6,000 active jobs over 300 channels in guilds of all three shards. */
export const CLUSTER: Scenario = {
  id: 'cluster',
  title: '6,000 active jobs over 300 channels',
  jobs: 6_000,
  channels: 300,
  arrivalMs: 20_000,
  durationMs: [30_000, 80_000],
  graceMs: 40_000,
  parallel: false,
};
/** Process 1 (shard 1) is SIGKILLed this long after the first job: all have arrived, none has finished. */
export const KILL_AT_MS = 25_000;
const SHARDS = 3;
const VICTIM = 1;

/** Six guilds, two per shard (`(id >> 22) % 3`); channel c lives in guild c % 6. */
const GUILDS = Array.from({ length: 6 }, (_, k) => String((50_000_000_000n + BigInt(k)) << 22n));
const guildOfChannel = (c: number) => GUILDS[c % GUILDS.length] as string;
const channelId = (c: number) => String(700_000_000_000_100_000n + BigInt(c));

export interface ClusterResult {
  rows: RunResult[];
  /** Jobs the survivors took over after the kill, and when the last of them was claimed (ms after the kill). */
  takenOver: number;
  takeoverMs: number | null;
  /** Jobs of the killed process not yet shown at the kill; ms from the kill to the last of them shown. */
  orphans: number;
  lastOrphanShownMs: number | null;
  orphanFinalP95Ms: number | null;
}

const isUpstreamApi = (path: string) => path.includes('/submit/') || path.includes('/task/');

/** Three bot processes (shards 0, 1, 2 of 3) over one Redis; process 1 SIGKILLed mid-run. */
export async function runCluster(scenario: Scenario): Promise<ClusterResult> {
  const jobs = plan(scenario);
  const dir = mkdtempSync(join(tmpdir(), 'mj-bench-cluster-'));
  const redis = await startRedis();
  const discord = await FakeDiscord.start({
    guilds: GUILDS.map((id, g) => ({
      id,
      name: `Bench ${g}`,
      channels: Array.from({ length: scenario.channels }, (_, c) => c)
        .filter((c) => c % GUILDS.length === g)
        .map((c) => ({ id: channelId(c) })),
    })),
    channelRateLimit: CHANNEL_RATE_LIMIT,
    globalRateLimit: GLOBAL_RATE_LIMIT,
    echoBotMessages: false,
    defaultTimeoutMs: 30 * 60_000,
  });
  const upstream = await TimedUpstream.start(jobs, false);
  const procs = await Promise.all(
    Array.from({ length: SHARDS }, async (_, i) => {
      const [mj, rest, port] = await Promise.all([
        countingProxy(upstream.sim.baseUrl),
        countingProxy(discord.restApi),
        freePort(),
      ]);
      const cwd = join(dir, `p${i}`);
      mkdirSync(cwd);
      return { i, mj, rest, port, cwd };
    }),
  );
  const starting = Promise.allSettled(
    procs.map(async (p) => {
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        DISCORD_TOKEN: discord.token,
        DISCORD_API_BASE: p.rest.url,
        DISCORD_GUILD_ID: GUILDS[0] as string,
        MJ_BASE_URL: p.mj.url,
        MJ_API_KEY: API_KEY,
        STORE_URL: redis.url,
        SHARD_COUNT: String(SHARDS),
        SHARD_IDS: String(p.i),
        REGISTER_COMMANDS: p.i === 0 ? 'true' : 'false',
        CALLBACK_SECRET: 'bench-cluster-secret-0123',
        POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
        // info: the 'job leases taken over' lines time the takeover.
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
        HTTP_PORT: String(p.port),
        HTTP_HOST: '127.0.0.1',
        ...(process.env.BENCH_LEASE_MS ? { LEASE_MS: process.env.BENCH_LEASE_MS } : {}),
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      };
      return startBot(env, p.cwd, `http://127.0.0.1:${p.port}/healthz`);
    }),
  );
  const settled = await starting;
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    // A process that did not start: stop everything this run started, then report why.
    await Promise.all(settled.map((r) => (r.status === 'fulfilled' ? stopProcess(r.value) : undefined)));
    await Promise.all(procs.flatMap((p) => [p.mj.close(), p.rest.close()]));
    await upstream.close();
    await discord.close();
    await redis.stop();
    throw failed.reason;
  }
  const children = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const pids = children.map((c) => c.pid ?? 0);
  const before = pids.map(usageOf);
  const after: Array<{ cpuSeconds: number; peakRssMb: number } | null> = pids.map(() => null);
  const started = Date.now();
  const injected: Injected[] = [];
  const shardOfJob = new Map<string, number>();
  const timers = jobs.map((job) =>
    setTimeout(() => {
      const guildId = guildOfChannel(job.channel);
      const handle = discord.command({
        name: 'imagine',
        user: userOf(job.index),
        guildId,
        channelId: channelId(job.channel),
        options: [{ name: 'prompt', type: 3, value: job.prompt }],
      });
      handle.response.catch(() => undefined);
      shardOfJob.set(job.prompt, shardOf(guildId, SHARDS));
      injected.push({
        prompt: job.prompt,
        interactionId: handle.id,
        token: handle.token,
        injectedAt: Date.now(),
      });
    }, job.arriveAt),
  );
  const shownAt = new Map<string, number>(); // interaction id → first seen showing its result
  const poll = () => {
    const now = Date.now();
    for (const m of discord.messages.values())
      if (m.interactionId && !shownAt.has(m.interactionId) && showsResult(m))
        shownAt.set(m.interactionId, now);
  };
  let killedAt = 0;
  let orphanIds: string[] = [];
  const killTimer = setTimeout(() => {
    poll();
    after[VICTIM] = usageOf(pids[VICTIM] as number);
    orphanIds = injected
      .filter((j) => shardOfJob.get(j.prompt) === VICTIM && !shownAt.has(j.interactionId))
      .map((j) => j.interactionId);
    killedAt = Date.now();
    children[VICTIM]?.kill('SIGKILL');
    process.stderr.write(`bench:   SIGKILLed process ${VICTIM} with ${orphanIds.length} jobs not shown\n`);
  }, KILL_AT_MS);
  const lastDone = Math.max(...jobs.map((j) => j.arriveAt + j.durationMs));
  const horizon = started + lastDone + scenario.graceMs;
  while (Date.now() < horizon) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    poll();
    if (killedAt && shownAt.size >= jobs.length) break;
  }
  pids.forEach((pid, i) => {
    if (i !== VICTIM || !after[i]) after[i] = usageOf(pid);
  });
  const wallSeconds = (Date.now() - started) / 1000;
  for (const t of timers) clearTimeout(t);
  clearTimeout(killTimer);
  await Promise.all(children.map((c) => stopProcess(c)));

  const messageOf = new Map<string, string>();
  for (const m of discord.messages.values()) if (m.interactionId) messageOf.set(m.interactionId, m.id);
  const calls = discord.calls.filter((c) => c.at >= started);
  const measure = (subset: Injected[]) =>
    delays(calls, subset, upstream.completedAt, (id) => messageOf.get(id) ?? null);
  const row = (
    label: string,
    subset: Injected[],
    o: {
      upstream: { submits: number; total: number };
      discord: number;
      rateLimited: number;
      cpuSeconds: number;
      peakRssMb: number;
    },
  ): RunResult => {
    const { acks, finals, missing } = measure(subset);
    const n = Math.max(1, subset.length);
    return {
      scenario: `${jobs.length} jobs, ${scenario.channels} channels, 3 processes`,
      tracker: label,
      jobs: subset.length,
      upstreamPerJob: o.upstream.total / n,
      upstreamSubmitsPerJob: o.upstream.submits / n,
      discordPerJob: o.discord / n,
      rateLimited: o.rateLimited,
      finalP50Ms: percentile(finals, 50),
      finalP95Ms: percentile(finals, 95),
      boundP95Ms: null,
      ackP99Ms: percentile(acks, 99),
      peakRssMb: o.peakRssMb,
      cpuSeconds: o.cpuSeconds,
      missing,
      wallSeconds,
    };
  };
  const usage = pids.map((_, i) => ({
    cpuSeconds: (after[i]?.cpuSeconds ?? 0) - (before[i]?.cpuSeconds ?? 0),
    peakRssMb: after[i]?.peakRssMb ?? 0,
  }));
  const rows = procs.map((p) => {
    const api = p.mj.requests.filter((r) => isUpstreamApi(r.path));
    return row(
      `process ${p.i} (shard ${p.i})${p.i === VICTIM ? `, SIGKILLed at ${KILL_AT_MS / 1000} s` : ''}`,
      injected.filter((j) => shardOfJob.get(j.prompt) === p.i),
      {
        upstream: { submits: api.filter((r) => r.path.includes('/submit/')).length, total: api.length },
        discord: p.rest.requests.filter((r) => r.at >= started).length,
        rateLimited: p.rest.requests.filter((r) => r.status === 429).length,
        cpuSeconds: usage[p.i]?.cpuSeconds ?? 0,
        peakRssMb: usage[p.i]?.peakRssMb ?? 0,
      },
    );
  });
  const counts = upstream.counts();
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
  rows.push({
    ...row('all 3 (RSS: the largest)', injected, {
      upstream: counts,
      discord: calls.length,
      rateLimited: discord.rateLimited,
      cpuSeconds: usage.reduce((s, u) => s + u.cpuSeconds, 0),
      peakRssMb: Math.max(...usage.map((u) => u.peakRssMb)),
    }),
    boundP95Ms: percentile(floor, 95),
    reads: upstream.reads(),
  });
  // Takeover: the survivors' 'job leases taken over' lines after the kill.
  let takenOver = 0;
  let lastTake: number | null = null;
  for (const p of procs) {
    if (p.i === VICTIM) continue;
    for (const line of readFileSync(join(p.cwd, 'tracker.log'), 'utf8').split('\n')) {
      if (!line.includes('job leases taken over')) continue;
      const rec = JSON.parse(line) as { time: number; jobs: number };
      if (rec.time < killedAt) continue;
      takenOver += rec.jobs;
      lastTake = Math.max(lastTake ?? 0, rec.time - killedAt);
    }
  }
  const orphanSet = new Set(orphanIds);
  const orphanShown = orphanIds.map((id) => shownAt.get(id)).filter((t): t is number => t !== undefined);
  const orphanFinals = measure(injected.filter((j) => orphanSet.has(j.interactionId))).finals;
  await Promise.all(procs.flatMap((p) => [p.mj.close(), p.rest.close()]));
  await upstream.close();
  await discord.close();
  await redis.stop();
  if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`bench:   kept ${dir}\n`);
  return {
    rows,
    takenOver,
    takeoverMs: lastTake,
    orphans: orphanIds.length,
    lastOrphanShownMs:
      orphanShown.length === orphanIds.length && orphanShown.length > 0
        ? Math.max(...orphanShown) - killedAt
        : null,
    orphanFinalP95Ms: percentile(orphanFinals, 95),
  };
}
