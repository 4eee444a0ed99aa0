import { FakeDiscord, type FakeMessage, type RestCall } from '../../emulators/discord/index.js';
import { MjSimulator } from '../../emulators/midjourney/index.js';
import { BotProcess, botEnv } from '../support/botProcess.js';
import { API_KEY, alice } from '../support/harness.js';
import { startRedis } from '../support/redis.js';

/** Guilds on shards 0, 1 and 2 of 3 (`(id >> 22) % 3`), one channel each; DMs go to shard 0. */
export const GUILDS = ['200000000000000001', '200000000004194304', '200000000008388608'];
export const channelOf = (guildId: string) => `${guildId.slice(0, -2)}99`;

const cleanup: Array<() => Promise<void> | void> = [];
/** Stops what the last `threeProcesses` started (call it in `afterEach`). */
export async function cleanUp(): Promise<void> {
  for (const fn of cleanup.splice(0).reverse()) await fn();
}

/** Three built bot processes (`node dist/src/main.js`), shards 0, 1, 2 of 3, sharing one real Redis. */
export async function threeProcesses(extra: Record<string, string> = {}) {
  const redis = await startRedis();
  const discord = await FakeDiscord.start({
    guilds: GUILDS.map((id, i) => ({ id, name: `Shard ${i}`, channels: [{ id: channelOf(id) }] })),
    echoBotMessages: false,
    channelRateLimit: { limit: 5, windowMs: 5_000 },
    // Discord's bot-wide limit, shared by the three processes' bot token.
    globalRateLimit: { limit: 50, windowMs: 1_000 },
  });
  const sim = await MjSimulator.start({ apiKey: API_KEY });
  cleanup.push(
    () => redis.stop(),
    () => discord.close(),
    () => sim.close(),
  );
  const calls: RestCall[] = [];
  discord.onCall((c) => void calls.push(c));
  const envs = [0, 1, 2].map((i) =>
    botEnv({
      discordToken: discord.token,
      discordApi: discord.restApi,
      simUrl: sim.baseUrl,
      storePath: 'unused',
      extra: {
        STORE_URL: redis.url,
        SHARD_COUNT: '3',
        SHARD_IDS: String(i),
        LEASE_MS: '3000',
        REGISTER_COMMANDS: i === 0 ? 'true' : 'false',
        CALLBACK_SECRET: 'cluster-test-secret-0123',
        ...extra,
      },
    }),
  );
  const spawnBot = (i: number) => {
    const p = new BotProcess(envs[i] as Record<string, string>);
    cleanup.push(() => p.dispose());
    return p;
  };
  const procs = [0, 1, 2].map(spawnBot);
  /** Starts process `i` again (after it stopped) with the same settings; `procs[i]` is the new one. */
  const restart = async (i: number) => {
    const p = spawnBot(i);
    procs[i] = p;
    await p.waitForLog('resumed active jobs', {}, 1, 30_000);
    return p;
  };
  await Promise.all(procs.map((p) => p.waitForLog('resumed active jobs', {}, 1, 30_000)));
  /** Starts /imagine in a guild (its shard's process takes it) or in a DM (shard 0). */
  const imagine = async (prompt: string, guildId: string | null, timeoutMs?: number) => {
    const handle = discord.command({
      name: 'imagine',
      user: alice,
      ...(guildId ? { guildId, channelId: channelOf(guildId) } : {}),
      options: [{ name: 'prompt', type: 3, value: prompt }],
    });
    return { prompt, handle, msg: await handle.message(timeoutMs ? { timeoutMs } : undefined) };
  };
  const taskOf = (prompt: string) => {
    const task = [...sim.tasks.values()].find((t) => t.prompt === prompt);
    if (!task) throw new Error(`no task for ${prompt}`);
    return task.id;
  };
  /** Writes that carried the final image to this job's message (by its id, or its interaction's token). */
  const finals = (job: { msg: FakeMessage; handle: { token: string } }) =>
    calls.filter(
      (c) => c.files.length > 0 && (c.path.endsWith(job.msg.id) || c.path.includes(job.handle.token)),
    );
  return { redis, discord, sim, procs, restart, calls, imagine, taskOf, finals };
}
