import { chmodSync, chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { JobStore } from '../../src/jobs/store.js';
import { BotProcess, botEnv, MAIN, tempStore } from '../support/botProcess.js';
import { makeJob } from '../support/jobs.js';

/** Exit status of a bot that needs a person to fix something first (EX_CONFIG). */
const EX_CONFIG = 78;

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** The bot started against `storePath` alone: it must stop before reaching Discord or the upstream. */
async function startBot(
  storePath: string,
  asUser?: { uid: number; gid: number },
  extra?: Record<string, string>,
) {
  const env = botEnv({
    discordToken: 'not-used-the-store-check-comes-first',
    discordApi: 'http://127.0.0.1:9/api',
    simUrl: 'http://127.0.0.1:9',
    storePath,
    ...(extra ? { extra } : {}),
  });
  const bot = new BotProcess(env, asUser);
  cleanup.push(() => bot.dispose());
  const exit = await bot.exited;
  return { exit, stderr: bot.stderr, lines: bot.lines };
}

/** A store file holding one active job. */
async function storeWithJob(path: string): Promise<void> {
  const store = JobStore.openSqlite(path, () => undefined);
  await store.save(makeJob({ id: 'kept-job', taskId: 't-kept' }));
  await store.close();
}

async function jobIds(path: string): Promise<string[]> {
  const store = JobStore.openSqlite(path, () => undefined);
  const ids = await store.activeIds();
  await store.close();
  return ids;
}

/** Root may write anything: the read-only cases run the bot as an unprivileged user then. */
const asRoot = process.getuid?.() === 0;
const nobody = { uid: 65534, gid: 65534 };

/** True when any user can reach and read the built bot (every folder above it searchable, the file readable). */
function runnableByAnyone(file: string): boolean {
  if ((statSync(file).mode & 0o004) === 0) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}
/** As root in a private checkout, the unprivileged user cannot even start the bot: those cases cannot run. */
const readOnlyCasesRun = !asRoot || runnableByAnyone(MAIN);

describe('store problems: a clear start-up error, the data left alone, no crash loop', () => {
  it('a corrupt file: exit 78 naming the file and what to do, twice in a row, the bytes untouched', async () => {
    const { path, remove } = tempStore();
    cleanup.push(remove);
    const garbage = Buffer.from(`${'this is not a database '.repeat(200)}\u0000\u0001\u0002`);
    writeFileSync(path, garbage);
    for (let run = 0; run < 2; run++) {
      const { exit, stderr, lines } = await startBot(path);
      expect(exit.code).toBe(EX_CONFIG);
      expect(stderr).toContain(`The job store ${path} is not a readable SQLite database (SQLITE_NOTADB)`);
      expect(stderr).toContain('The bot left it untouched. Restore it from a backup, or move it aside');
      expect(lines.some((l) => l.msg === 'connected to Discord')).toBe(false);
      expect(lines.find((l) => l.msg === 'the job store cannot be used')).toMatchObject({
        problem: 'corrupt',
      });
      expect(readFileSync(path).equals(garbage)).toBe(true);
    }
  });

  it('a file another process holds locked: exit 78 saying so; the jobs are there once the lock is gone', async () => {
    const { path, remove } = tempStore();
    cleanup.push(remove);
    await storeWithJob(path);
    const holder = new KeyvSqlite({ uri: `sqlite://${path}` });
    await holder.query('BEGIN EXCLUSIVE');
    await holder.query(`UPDATE keyv SET value = value WHERE key = 'mj:active'`);
    cleanup.push(() => holder.close());
    const { exit, stderr } = await startBot(path);
    expect(exit.code).toBe(EX_CONFIG);
    expect(stderr).toContain(`The job store ${path} is locked by another process (SQLITE_BUSY)`);
    expect(stderr).toContain('Is another copy of the bot running?');
    await holder.query('ROLLBACK');
    expect(await jobIds(path)).toEqual(['kept-job']);
  }, 30_000);

  it.each([
    ['', {}],
    [' (PUBLIC_URL: the shared callback secret is read first)', { PUBLIC_URL: 'http://127.0.0.1:9' }],
  ])(
    'an unreachable Redis STORE_URL%s: exit 78 naming STORE_URL, its password never shown',
    async (_, more) => {
      const url = 'redis://bot:hunter2-redis-pass@127.0.0.1:1';
      const { exit, stderr, lines } = await startBot('unused', undefined, { STORE_URL: url, ...more });
      expect(exit.code).toBe(EX_CONFIG);
      expect(stderr).toContain('The job store redis://bot:***@127.0.0.1:1 (STORE_URL) cannot be reached');
      expect(stderr).toContain('Start Redis or correct STORE_URL');
      expect(stderr + JSON.stringify(lines)).not.toContain('hunter2-redis-pass');
      expect(lines.some((l) => l.msg === 'connected to Discord')).toBe(false);
    },
  );

  it.runIf(readOnlyCasesRun)(
    'a read-only file: exit 78 saying it cannot be written; the jobs stay',
    async () => {
      const { dir, path, remove } = tempStore();
      cleanup.push(remove);
      await storeWithJob(path);
      chmodSync(dir, 0o755);
      chmodSync(path, 0o444);
      const { exit, stderr } = await startBot(path, asRoot ? nobody : undefined);
      expect(exit.code).toBe(EX_CONFIG);
      expect(stderr).toContain(`The job store ${path} cannot be written`);
      expect(stderr).toContain('read-only');
      expect(stderr).toContain('or set STORE_URL to a writable place');
      expect(await jobIds(path)).toEqual(['kept-job']);
    },
  );

  it.runIf(readOnlyCasesRun)(
    'a read-only folder where the store should be created: exit 78 saying it cannot be written',
    async () => {
      const { dir, remove } = tempStore();
      cleanup.push(remove);
      const folder = join(dir, 'data');
      mkdirSync(folder);
      if (asRoot) chownSync(folder, nobody.uid, nobody.gid);
      chmodSync(dir, 0o755);
      chmodSync(folder, 0o555);
      const { exit, stderr } = await startBot(join(folder, 'bot.sqlite'), asRoot ? nobody : undefined);
      expect(exit.code).toBe(EX_CONFIG);
      expect(stderr).toContain(`The job store ${join(folder, 'bot.sqlite')} cannot be written`);
    },
  );
});
