/**
 * `npm run bench:store`: how much a job costs the store, so an operator can size it (docs/performance.md).
 * Writes N finished jobs shaped like real ones (a 60-character prompt, a task snapshot with the grid's nine
 * buttons, an image URL, message and task pointers) through the real `JobStore`, then reads the cost:
 *   SQLite — bytes of the file (after a WAL checkpoint) per job;
 *   Redis  — `INFO memory` used_memory per job, and `MEMORY USAGE` of one job's keys.
 * Options: --jobs 5000 (default).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisKey } from '../src/jobs/redisBackend.js';
import { JobStore } from '../src/jobs/store.js';
import { jobKey, msgKey, taskKey } from '../src/jobs/storeKeys.js';
import type { Job } from '../src/jobs/types.js';
import { makeJob } from '../test/support/jobs.js';
import { startRedis } from '../test/support/redis.js';

const i = process.argv.indexOf('--jobs');
const N = i >= 0 ? Number(process.argv[i + 1]) : 5_000;

function jobOf(n: number): Job {
  const id = `j${String(n).padStart(11, '0')}`;
  const taskId = String(1_732_000_000_000_000 + n);
  const hash = 'a1b2c3d4-e5f6-4711-8899-aabbccddeeff';
  const label = (l: string, custom: string) => ({
    customId: `MJ::JOB::${custom}::${hash}`,
    emoji: '',
    label: l,
    style: 2,
    type: 2,
  });
  const buttons = [
    ...[1, 2, 3, 4].map((k) => label(`U${k}`, `upsample::${k}`)),
    { ...label('', `reroll::0`), emoji: '🔄' },
    ...[1, 2, 3, 4].map((k) => label(`V${k}`, `variation::${k}`)),
  ];
  return makeJob({
    id,
    taskId,
    phase: 'succeeded',
    prompt: `a red fox in the snow at dawn, cinematic light --ar 3:2 #${n}`,
    message: {
      guildId: '1200000000000000000',
      channelId: String(1_300_000_000_000_000_000n + BigInt(n % 300)),
      messageId: String(1_400_000_000_000_000_000n + BigInt(n)),
      interaction: null,
      finalShown: true,
    },
    task: {
      status: 'SUCCESS',
      progress: 100,
      imageUrl: `https://cdn.example.com/attachments/1/2/${taskId}_grid_0.png`,
      buttons,
      failReason: null,
      finalPrompt: null,
      promptEn: `a red fox in the snow at dawn, cinematic light --ar 3:2 #${n}`,
      description: `/imagine a red fox in the snow at dawn, cinematic light --ar 3:2 #${n}`,
      action: 'IMAGINE',
      mode: 'fast',
      finishTime: 1_732_000_060_000 + n,
    },
    createdAt: 1_732_000_000_000 + n,
    updatedAt: 1_732_000_060_000 + n,
  });
}

async function fill(store: JobStore): Promise<void> {
  for (let n = 0; n < N; n += 200) {
    await Promise.all(Array.from({ length: Math.min(200, N - n) }, (_, k) => store.save(jobOf(n + k))));
  }
}

async function sqlite(): Promise<{ bytesPerJob: number; fileBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'mj-store-size-'));
  const path = join(dir, 'bot.sqlite');
  try {
    const store = JobStore.openSqlite(path, () => undefined);
    await store.probe();
    const empty = statSync(path).size;
    await fill(store);
    const query = (store.keyv.store as unknown as { query(sql: string): Promise<unknown> }).query;
    await query('PRAGMA wal_checkpoint(TRUNCATE)');
    await store.close();
    const fileBytes = statSync(path).size;
    return { bytesPerJob: (fileBytes - empty) / N, fileBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function redis(): Promise<{ bytesPerJob: number; oneJobKeys: number }> {
  const server = await startRedis();
  try {
    const store = JobStore.open(server.url, { onError: () => undefined });
    await store.probe();
    const client = store.redis;
    if (!client) throw new Error('no Redis client');
    const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
    const before = await used();
    await fill(store);
    const after = await used();
    const job = jobOf(0);
    const keys = [jobKey(job.id), msgKey(job.message.messageId ?? ''), taskKey(job.taskId ?? '')];
    let oneJobKeys = 0;
    for (const key of keys) oneJobKeys += (await client.memoryUsage(redisKey(key))) ?? 0;
    await store.close();
    return { bytesPerJob: (after - before) / N, oneJobKeys };
  } finally {
    await server.stop();
  }
}

const s = await sqlite();
const r = await redis();
const kib = (b: number) => `${(b / 1024).toFixed(2)} KiB`;
const record = Buffer.byteLength(JSON.stringify(jobOf(0)));
console.log(`jobs written: ${N} finished jobs (record JSON ${record} bytes each)`);
console.log('| store  | per job | total for the run | how measured |');
console.log('| ------ | ------- | ----------------- | ------------ |');
console.log(
  `| SQLite | ${kib(s.bytesPerJob)} | ${kib(s.fileBytes)} file | file size after a WAL checkpoint |`,
);
console.log(
  `| Redis  | ${kib(r.bytesPerJob)} | ${kib(r.bytesPerJob * N)} used_memory | INFO memory delta; MEMORY USAGE of one job's 3 keys: ${kib(r.oneJobKeys)} |`,
);
