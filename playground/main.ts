/**
 * `npm run playground`: the real bot in a browser, no Discord application or upstream key needed. Starts the local
 * Discord, the upstream simulator (or the upstream in MJ_BASE_URL + MJ_API_KEY) and the built bot, then prints the
 * page's address. PLAYGROUND_HOST / PLAYGROUND_PORT choose where the page listens (default 127.0.0.1, a free port);
 * PLAYGROUND_SPEED scales the simulator's timings (default 1: ~20–40 s a job). Ctrl-C stops everything.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPlayground } from './playground.js';

const env = process.env;
const real = env.MJ_BASE_URL && env.MJ_API_KEY ? { baseUrl: env.MJ_BASE_URL, apiKey: env.MJ_API_KEY } : null;
const say = (line: string) => process.stdout.write(`${line}\n`);

say(
  real
    ? `playground: using the upstream at ${real.baseUrl}`
    : 'playground: using the local Midjourney simulator',
);
const playground = await startPlayground({
  dataDir: join(dirname(fileURLToPath(import.meta.url)), '.data'),
  host: env.PLAYGROUND_HOST || '127.0.0.1',
  port: Number(env.PLAYGROUND_PORT || 0),
  speed: Number(env.PLAYGROUND_SPEED || 1),
  upstream: real,
}).catch((err: unknown) => {
  process.stderr.write(`playground: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

say(`\n  The playground is ready: open ${playground.url}\n  (Ctrl-C stops it)\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) process.exit(1);
  stopping = true;
  say(`playground: ${signal}, stopping…`);
  playground.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
