import 'dotenv/config';
import { fileURLToPath } from 'node:url';
import { ShardingManager } from 'discord.js';
import { ConfigError, loadConfig } from './config.js';

/**
 * `npm run start:sharded`: discord.js's ShardingManager runs one bot process (`main.js`) per shard, SHARD_COUNT
 * of them (`auto`, the default here: Discord's recommendation). Each process finds its shard in the environment
 * the manager gives it. Several processes share the jobs only on a Redis store (STORE_URL=redis://…).
 */
async function sharded(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const count = config.shards?.count ?? 'auto';
  if (count !== 1 && config.storeUrl.startsWith('sqlite://')) {
    process.stderr.write(
      'start:sharded runs several processes: set STORE_URL=redis://… so they share the jobs\n',
    );
    process.exit(78);
  }
  const manager = new ShardingManager(fileURLToPath(new URL('./main.js', import.meta.url)), {
    token: config.discordToken,
    totalShards: count,
    respawn: true,
    // Each shard's process runs with this process's Node flags (`npm run start:sharded` gives
    // --max-old-space-size=1024, docs/deployment.md "Memory").
    execArgv: process.execArgv,
  });
  manager.on('shardCreate', (shard) =>
    process.stdout.write(`${JSON.stringify({ msg: 'shard started', shard: shard.id })}\n`),
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      // Each bot process stops as with `npm start` (its leases handed over at once); none is started again.
      manager.respawn = false;
      const exits = [...manager.shards.values()].map((shard) => {
        const child = shard.process;
        if (!child || child.exitCode !== null) return Promise.resolve();
        return new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      });
      void Promise.all(exits).then(() => process.exit(0));
      setTimeout(() => process.exit(1), 30_000).unref();
    });
  }
  await manager.spawn();
}

void sharded();
