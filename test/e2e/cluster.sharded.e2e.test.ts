import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../emulators/discord/index.js';
import { MjSimulator } from '../../emulators/midjourney/index.js';
import { BotProcess, botEnv, SHARDED } from '../support/botProcess.js';
import { API_KEY, alice } from '../support/harness.js';
import { type RedisServer, startRedis } from '../support/redis.js';
import { scriptFlags } from '../support/scriptFlags.js';

/** Guilds on shard 0 and shard 1 of 2 (`(id >> 22) % 2`), one channel each. */
const GUILDS = ['200000000000000001', '200000000004194304'];
const channelOf = (guildId: string) => `${guildId.slice(0, -2)}99`;

/** The processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

let redis: RedisServer | undefined;
let discord: FakeDiscord | undefined;
let sim: MjSimulator | undefined;
let manager: BotProcess | undefined;
afterEach(async () => {
  await manager?.dispose();
  await sim?.close();
  await discord?.close();
  await redis?.stop();
  manager = undefined;
});

describe('npm run start:sharded (discord.js ShardingManager)', () => {
  it('runs one bot process per shard with its own Node flags; each answers its shard; SIGTERM stops them all', async () => {
    redis = await startRedis();
    discord = await FakeDiscord.start({
      guilds: GUILDS.map((id, i) => ({ id, name: `Shard ${i}`, channels: [{ id: channelOf(id) }] })),
      echoBotMessages: false,
    });
    sim = await MjSimulator.start({ apiKey: API_KEY });
    const env = botEnv({
      discordToken: discord.token,
      discordApi: discord.restApi,
      simUrl: sim.baseUrl,
      storePath: 'unused',
      extra: { STORE_URL: redis.url, SHARD_COUNT: '2', CALLBACK_SECRET: 'sharded-test-secret-0123' },
    });
    // As `npm run start:sharded` starts it (package.json): the manager's Node flags go to every shard's process.
    const flags = scriptFlags('start:sharded');
    expect(flags).toContain('--max-old-space-size=1024');
    manager = new BotProcess(env, { script: SHARDED, nodeFlags: flags });
    await manager.waitForLog('shard started', { shard: 1 }, 1, 30_000);
    await manager.waitForLog('resumed active jobs', {}, 2, 60_000);
    const shardsUp = manager.lines.filter((l) => l.msg === 'shard started').map((l) => l.shard);
    expect(shardsUp.sort()).toEqual([0, 1]);
    const pids = childrenOf(manager.pid);
    expect(pids).toHaveLength(2); // two bot processes
    for (const pid of pids) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(argv).toEqual(expect.arrayContaining(flags));
    }
    for (const guildId of GUILDS) {
      const msg = await discord
        .command({
          name: 'imagine',
          user: alice,
          guildId,
          channelId: channelOf(guildId),
          options: [{ name: 'prompt', type: 3, value: `from the shard of ${guildId}` }],
        })
        .message({ timeoutMs: 20_000 });
      expect(msg.content).toContain(`from the shard of ${guildId}`);
    }
    await sim.waitForRequest(() => (sim?.created.length ?? 0) === 2);
    expect(sim.submits('imagine')).toHaveLength(2);
    manager.kill('SIGTERM');
    expect((await manager.exited).code).toBe(0);
    expect(manager.lines.filter((l) => l.msg === 'job leases handed over')).toHaveLength(2);
  }, 120_000);
});
