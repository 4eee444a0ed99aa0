import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptFlags } from '../test/support/scriptFlags.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The bot as `npm start` runs it. */
export const BOT_MAIN = join(ROOT, 'dist', 'src', 'main.js');
export const NAIVE_MAIN = join(ROOT, 'dist', 'bench', 'naive.js');
/** The Node flags `npm start` gives the bot (package.json), so the bench measures what operators run. */
export const START_FLAGS: string[] = scriptFlags('start');

/** Builds the bot (`npm run build`) and the naive tracker, so both run as plain node, without a TS loader. */
export function build(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'bench/tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) and peak RSS (MB) of a process, from /proc (Linux). */
export function usageOf(pid: number): { cpuSeconds: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the whole line)
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds: ticks / TICKS, peakRssMb: Number(hwm?.[1] ?? 0) / 1024 };
}

/**
 * Starts the bot (`node dist/src/main.js`, configured by `env` alone, in `cwd` so no `.env` is read) and resolves
 * once `GET /healthz` says it is ready.
 */
export async function startBot(
  env: Record<string, string>,
  cwd: string,
  healthUrl: string,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const log = openSync(join(cwd, 'tracker.log'), 'a');
  const child = spawn(process.execPath, [...START_FLAGS, ...nodeArgs, BOT_MAIN], {
    cwd,
    env,
    stdio: ['ignore', log, log],
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited !== undefined)
      throw new Error(`the bot exited with ${exited}; see ${join(cwd, 'tracker.log')}`);
    const ok = await fetch(healthUrl).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the bot did not become ready within 60 s');
}

/** Starts the naive tracker and resolves once its client is logged in. */
export function startNaive(
  env: Record<string, string>,
  cwd: string,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const log = openSync(join(cwd, 'tracker.log'), 'a');
  const child = fork(NAIVE_MAIN, [], { cwd, env, execArgv: nodeArgs, stdio: ['ignore', log, log, 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the naive tracker did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`the naive tracker exited with ${code}`)));
    child.on('message', (msg: { type?: string }) => {
      if (msg.type !== 'ready') return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(child);
    });
  });
}

/** SIGTERM (the bot shuts down as it would in production), SIGKILL after `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
