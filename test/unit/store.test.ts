import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from '../../src/jobs/store.js';
import { makeJob } from '../support/jobs.js';
import { type RedisServer, startRedis } from '../support/redis.js';

const dirs: string[] = [];
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mj-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'bot.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

/** Each backend: a fresh location, and how to open it (again). */
const BACKENDS = [
  { name: 'SQLite', fresh: async () => `sqlite://${tempPath()}` },
  {
    name: 'Redis',
    fresh: async () => {
      await redis.flush();
      return redis.url;
    },
  },
];

describe.each(BACKENDS)('JobStore ($name)', ({ fresh }) => {
  const open = async (url: string, onError: (e: unknown) => void = () => undefined) => {
    const store = JobStore.open(url, { onError });
    await store.probe();
    return store;
  };

  it('keeps jobs, their message and task indexes and the active set across a reopen', async () => {
    const path = await fresh();
    const errors: unknown[] = [];
    const store = await open(path, (e) => errors.push(e));
    await store.save(makeJob({ id: 'a', taskId: 't1', message: { ...makeJob().message, messageId: 'm1' } }));
    await store.save(makeJob({ id: 'b', taskId: 't2', phase: 'succeeded', createdAt: 5 }));
    await store.close();

    const again = await open(path, (e) => errors.push(e));
    expect((await again.byMessage('m1'))?.id).toBe('a');
    expect((await again.byTask('t2'))?.id).toBe('b');
    expect(await again.activeIds()).toEqual(['a']);
    expect((await again.activeJobs()).map((j) => j.id)).toEqual(['a']);
    await again.close();
    expect(errors).toEqual([]);
  });

  it('removes a job from the active set when it becomes final, and update() serialises changes', async () => {
    const store = await open(await fresh());
    await store.save(makeJob({ id: 'a' }));
    await Promise.all([
      store.update('a', (j) => ({ ...j, prompt: `${j.prompt} 1` })),
      store.update('a', (j) => ({ ...j, prompt: `${j.prompt} 2` })),
      store.update('a', (j) => ({ ...j, phase: 'succeeded' })),
    ]);
    const job = await store.get('a');
    expect(job?.prompt).toBe('a red fox in the snow 1 2');
    expect(await store.activeIds()).toEqual([]);
    expect(await store.update('missing', (j) => j)).toBeNull();
    await store.close();
  });

  it('reads records written by version 1 in the format of this version, and writes them back so once changed', async () => {
    const path = await fresh();
    const store = await open(path);
    await store.save(makeJob({ id: 'a', taskId: 't1' }));
    // As version 1 left it: no schemaVersion, no request, the inputs of its submit in `repeat`.
    const { schemaVersion: _v, request: _r, ...v1 } = makeJob({ id: 'a', taskId: 't1', kind: 'action' });
    await store.keyv.set('job:a', {
      ...v1,
      repeat: { action: { taskId: 't0', customId: 'MJ::JOB::upsample::1::h' } },
    });
    await store.close();

    const again = await open(path);
    const want = {
      schemaVersion: 2,
      request: { kind: 'action', mode: 'fast', taskId: 't0', customId: 'MJ::JOB::upsample::1::h' },
    };
    expect(await again.byTask('t1')).toMatchObject(want);
    expect((await again.activeJobs())[0]).toMatchObject(want);
    await again.update('a', (j) => ({ ...j, prompt: 'changed' }));
    expect(await again.keyv.get('job:a')).toMatchObject({ ...want, prompt: 'changed' });
    expect(await again.keyv.get('job:a')).not.toHaveProperty('repeat');
    await again.close();
  });
});

describe('JobStore (SQLite): indexes', () => {
  it('counts running and waiting jobs in memory, with every save, once the active jobs were read', async () => {
    const store = JobStore.open(`sqlite://${tempPath()}`, { onError: () => undefined });
    await store.probe();
    const [user, guild] = ['111111111111111111', '222222222222222222']; // makeJob's owner and server
    await store.save(makeJob({ id: 'run', phase: 'tracking' }));
    await store.save(makeJob({ id: 'wait', phase: 'queued' }));
    await store.save(makeJob({ id: 'other', phase: 'submitting', ownerId: '333333333333333333' }));
    expect(await store.activeCounts(user, guild)).toBeNull(); // not read yet: the caller reads the view
    await store.activeJobs();
    expect(await store.activeCounts(user, guild)).toEqual({ user: 1, guild: 2, queued: 1, complete: true });
    await store.update('wait', (j) => ({ ...j, phase: 'submitting' }));
    await store.update('run', (j) => ({ ...j, phase: 'succeeded' }));
    expect(await store.activeCounts(user, guild)).toEqual({ user: 1, guild: 2, queued: 0, complete: true });
    expect(await store.activeCounts(user, null)).toEqual({ user: 1, guild: 0, queued: 0, complete: true });
    await store.close();
  });

  it('keeps one row per member, and turns a list an older version wrote into rows once', async () => {
    const path = tempPath();
    const store = JobStore.open(`sqlite://${path}`, { onError: () => undefined });
    await store.probe();
    for (const id of ['a', 'b', 'c']) await store.save(makeJob({ id }));
    await store.save(
      makeJob({ id: 'b', phase: 'succeeded', message: { ...makeJob().message, finalShown: true } }),
    );
    let current = store;
    const query = (sql: string) =>
      (current.keyv.store as { query(sql: string): Promise<Array<{ key: string; value: string }>> }).query(
        sql,
      );
    const keys = async () =>
      (await query("SELECT key FROM keyv WHERE key LIKE 'mj:active%'")).map((r) => r.key).sort();
    // A job joining or leaving the index writes its own row: no list of every active job rewritten each time.
    expect(await keys()).toEqual(['mj:active#a', 'mj:active#c']);
    // A store an older version left: the index as one JSON list.
    await query("DELETE FROM keyv WHERE key LIKE 'mj:active#%'");
    await query(
      `INSERT INTO keyv (key, value) VALUES ('mj:active', '{"value":["a","c","z"],"expires":null}')`,
    );
    await store.close();
    const again = JobStore.open(`sqlite://${path}`, { onError: () => undefined });
    await again.probe();
    current = again;
    expect(await again.activeIds()).toEqual(['a', 'c', 'z']);
    expect(await keys()).toEqual(['mj:active#a', 'mj:active#c', 'mj:active#z']); // the list is gone
    await again.close();
    const third = JobStore.open(`sqlite://${path}`, { onError: () => undefined });
    await third.probe();
    expect(await third.activeIds()).toEqual(['a', 'c', 'z']);
    await third.close();
  });
});
