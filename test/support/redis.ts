import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../emulators/freePort.js';

/** Debian's Redis server (`.ci/run` installs it when it is missing). */
export const REDIS_SERVER =
  process.env.REDIS_SERVER ??
  (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server');

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Deletes every key (FLUSHALL), so tests sharing one server start empty. */
  flush(): Promise<void>;
  /** Stops the server (SIGTERM, then waits for it to exit) and removes its working folder. */
  stop(): Promise<void>;
}

/** Sends one inline command and resolves with the first reply line (e.g. `+PONG`). */
export function redisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.on('data', (chunk: string) => {
      reply += chunk;
      const end = reply.indexOf('\r\n');
      if (end < 0) return;
      socket.end();
      resolve(reply.slice(0, end));
    });
    socket.write(`${command}\r\n`);
  });
}

/**
 * Starts a throw-away `redis-server` on a free loopback port with no persistence, and resolves once it
 * answers PING. It announces readiness on stdout; the PING proves it. Retries on another port if the one
 * chosen was taken in between.
 */
export async function startRedis(attempts = 3): Promise<RedisServer> {
  for (let i = 1; ; i++) {
    try {
      return await startOnce(await freePort());
    } catch (err) {
      if (i >= attempts) throw err;
    }
  }
}

async function startOnce(port: number): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mj-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(REDIS_SERVER, [...args, '--dir', dir, '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await ready(child, port);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    flush: async () => {
      const reply = await redisCommand(port, 'FLUSHALL');
      if (reply !== '+OK') throw new Error(`FLUSHALL answered ${reply}`);
    },
    stop: () => {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** Resolves when the server says it is ready and answers PING; rejects when it exits first. */
function ready(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onExit = (code: number | null) =>
      reject(new Error(`redis-server on port ${port} exited (${code}) before it was ready:\n${output}`));
    child.once('exit', onExit);
    child.once('error', (err) => reject(new Error(`cannot run ${REDIS_SERVER}: ${err.message}`)));
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!output.includes('Ready to accept connections')) return;
      child.stdout?.off('data', onData);
      child.stdout?.resume(); // keep draining its log, so a full pipe never blocks the server
      redisCommand(port, 'PING').then(
        (reply) => {
          child.off('exit', onExit);
          if (reply === '+PONG') resolve();
          else reject(new Error(`redis-server on port ${port} answered PING with ${reply}`));
        },
        (err: Error) => reject(err),
      );
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
  });
}

/**
 * Vitest globalSetup form: one server for a whole project. Tests read its URL with `inject('redisUrl')`
 * (vitest's `provide`/`inject`), and must `flush()` through their own client or use distinct key prefixes.
 */
export default async function setup({ provide }: { provide: (key: 'redisUrl', value: string) => void }) {
  const server = await startRedis();
  provide('redisUrl', server.url);
  return () => server.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
