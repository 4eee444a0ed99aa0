import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_KEY, GUILD } from './harness.js';
import { scriptFlags } from './scriptFlags.js';

/** The built entry point, as `npm start` runs it (built once by `test/support/buildOnce.ts`). */
export const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'src', 'main.js');
/** `npm run start:sharded`'s script: discord.js's ShardingManager, one `main.js` process per shard. */
export const SHARDED = join(dirname(MAIN), 'sharded.js');

type Line = Record<string, unknown>;

/** The environment of a bot process pointed at the fakes. */
export function botEnv(o: {
  discordToken: string;
  discordApi: string;
  simUrl: string;
  storePath: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    DISCORD_TOKEN: o.discordToken,
    DISCORD_API_BASE: o.discordApi,
    DISCORD_GUILD_ID: GUILD,
    MJ_BASE_URL: o.simUrl,
    MJ_API_KEY: API_KEY,
    STORE_URL: `sqlite://${o.storePath}`,
    LOG_LEVEL: 'debug',
    POLL_INTERVAL_MS: '250',
    // One test user starts many jobs at once here; the per-user limit (default 3) is pinned by limits tests.
    MAX_CONCURRENT_PER_USER: '100',
    ...o.extra,
  };
}

/**
 * The bot as a child process (`node dist/src/main.js`, with `npm start`'s Node flags unless `nodeFlags` says
 * otherwise) with only the given environment, in an empty working folder (so no `.env` is read). Every stdout
 * line (pino JSON) and all of stderr are kept for the test to scan.
 */
export class BotProcess {
  readonly lines: Line[] = [];
  /** Raw stdout and stderr, exactly as written. */
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly cwd: string;
  private partial = '';
  private waiters: Array<{ pred: (l: Line) => boolean; resolve: (l: Line) => void }> = [];

  constructor(
    env: Record<string, string>,
    opts: { uid?: number; gid?: number; script?: string; nodeFlags?: string[] } = {},
  ) {
    this.cwd = mkdtempSync(join(tmpdir(), 'mj-bot-cwd-'));
    chmodSync(this.cwd, 0o755); // readable by another user (the read-only store test runs the bot as one)
    const {
      script = MAIN,
      nodeFlags = scriptFlags(script === SHARDED ? 'start:sharded' : 'start'),
      ...ids
    } = opts;
    this.child = spawn(process.execPath, [...nodeFlags, script], {
      cwd: this.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...ids,
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        rmSync(this.cwd, { recursive: true, force: true });
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  private onStdout(chunk: string): void {
    this.stdout += chunk;
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const text of parts) {
      if (text.trim() === '') continue;
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        line = { msg: text };
      }
      this.lines.push(line);
      const due = this.waiters.filter((w) => w.pred(line));
      this.waiters = this.waiters.filter((w) => !due.includes(w));
      for (const w of due) w.resolve(line);
    }
  }

  /** Resolves with the `count`-th line (already written or to come) whose `msg` is `msg` and fields match. */
  waitForLog(msg: string, fields: Line = {}, count = 1, timeoutMs = 15_000): Promise<Line> {
    const matches = (l: Line) => l.msg === msg && Object.entries(fields).every(([k, v]) => l[k] === v);
    let seen = this.lines.filter(matches).length;
    const found = this.lines.filter(matches)[count - 1];
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`bot process: no log line "${msg}" #${count}\n${this.stdout.slice(-3000)}`)),
        timeoutMs,
      );
      this.waiters.push({
        pred: (l) => matches(l) && ++seen >= count,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  /** Sends `signal` to the process (by its pid). */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Kills the process if it still runs (test clean-up). */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** A temp folder for a store file, removed by the returned function. */
export function tempStore(): { dir: string; path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mj-proc-store-'));
  return { dir, path: join(dir, 'bot.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
