/**
 * The real bot as `npm start` runs it (`node dist/src/main.js`, built by `npm run build`), configured by the
 * environment alone, in a working folder of its own (so no `.env` is read). Its JSON log lines are shown short.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { BOT_MAIN, stopProcess } from '../bench/processes.js';

export interface BotHandle {
  child: ChildProcess;
  /** SIGTERM (the bot drains as in production), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** One pino line as `bot info  message key=value …` (the line as is when it is not JSON). */
export function shortLine(text: string): string {
  try {
    const {
      level,
      msg,
      time: _t,
      pid: _p,
      hostname: _h,
      err,
      ...rest
    } = JSON.parse(text) as Record<string, unknown>;
    const fields = Object.entries(rest).map(
      ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
    );
    const error = err && typeof err === 'object' ? ` ${String((err as { stack?: string }).stack ?? '')}` : '';
    return `bot ${(LEVELS[Number(level)] ?? String(level)).padEnd(5)} ${String(msg)} ${fields.join(' ')}${error}`;
  } catch {
    return `bot ${text}`;
  }
}

/** Starts the bot and resolves once its `/healthz` says ready (Discord connected, store usable). */
export async function startBot(opts: {
  env: Record<string, string>;
  cwd: string;
  healthUrl: string;
  log: (line: string) => void;
  timeoutMs?: number;
}): Promise<BotHandle> {
  // Its own process group: Ctrl-C in the terminal reaches the launcher only, which then stops the bot once (a
  // second signal would make the bot exit without draining). If the launcher dies, the bot goes with it.
  const child = spawn(process.execPath, [BOT_MAIN], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  child.once('exit', () => process.off('exit', orphaned));
  const pipe = (stream: NodeJS.ReadableStream | null) => {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (line.trim()) opts.log(shortLine(line));
    });
  };
  pipe(child.stdout);
  pipe(child.stderr);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`the bot exited with code ${exited} (its log is above)`);
    const ready = await fetch(opts.healthUrl).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { child, stop: () => stopProcess(child) };
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  child.kill('SIGKILL');
  throw new Error('the bot did not become ready within 60 s');
}
