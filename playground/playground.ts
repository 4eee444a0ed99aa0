/**
 * The whole playground: the local Discord (emulators/discord), the upstream (the simulator, or a real one), the
 * real bot as a child process configured by environment only, and the web page. `main.ts` runs it from the
 * command line; the browser test runs it in-process.
 */

import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FakeDiscord } from '../emulators/discord/index.js';
import { freePort } from '../emulators/freePort.js';
import { startBot } from './botProcess.js';
import { Live } from './live.js';
import { startWebServer } from './server.js';
import type { ViewWorld } from './shared.js';
import { Director } from './upstream/director.js';
import { BOT_USER, CHANNELS, FAKE_TOKEN, GUILD, USERS } from './world.js';

export interface PlaygroundOptions {
  /** Where the page listens (default 127.0.0.1:0 → a free port). */
  host?: string;
  port?: number;
  /** The bot's working folder and SQLite store. */
  dataDir: string;
  /** A real midjourney-proxy instead of the simulator. */
  upstream?: { baseUrl: string; apiKey: string } | null;
  /** Simulator speed: 1 = realistic (~20–40 s a job); smaller is faster. */
  speed?: number;
  /** Where the bot's and the playground's lines go. */
  log?: (line: string) => void;
}

export interface Playground {
  url: string;
  discord: FakeDiscord;
  stop(): Promise<void>;
}

export async function startPlayground(o: PlaygroundOptions): Promise<Playground> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stops: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch(() => undefined);
  };
  try {
    mkdirSync(o.dataDir, { recursive: true });
    const discord = await FakeDiscord.start({
      guilds: [GUILD],
      botUser: BOT_USER,
      token: FAKE_TOKEN,
      defaultTimeoutMs: 15_000,
    });
    stops.push(() => discord.close());
    const speed = o.speed ?? 1;
    let upstream = o.upstream ?? null;
    let simBase: string | null = null;
    if (!upstream) {
      const apiKey = `sk-playground-${randomBytes(12).toString('hex')}`;
      const { sim, director } = await Director.start({ apiKey, speed, notify: true });
      stops.push(() => director.close());
      upstream = { baseUrl: sim.baseUrl, apiKey };
      simBase = sim.baseUrl;
    }
    const live = new Live(discord, (url) =>
      simBase && url.startsWith(simBase) ? `/upstream${url.slice(simBase.length)}` : url,
    );
    stops.push(() => live.close());
    const httpPort = await freePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: discord.token,
      DISCORD_API_BASE: discord.restApi,
      MJ_BASE_URL: upstream.baseUrl,
      MJ_API_KEY: upstream.apiKey,
      STORE_URL: `sqlite://${join(o.dataDir, 'bot.sqlite')}`,
      HTTP_PORT: String(httpPort),
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: process.env.PLAYGROUND_LOG_LEVEL ?? 'info',
      // The simulator calls the bot back at once (as NZ/TA do); polling stays the safety net.
      ...(simBase
        ? { PUBLIC_URL: `http://127.0.0.1:${httpPort}`, POLL_INTERVAL_MS: speed < 1 ? '250' : '1000' }
        : {}),
    };
    const bot = await startBot({
      env,
      cwd: o.dataDir,
      healthUrl: `http://127.0.0.1:${httpPort}/healthz`,
      log,
    });
    stops.push(() => bot.stop());
    const world: ViewWorld = {
      guild: { id: GUILD.id, name: GUILD.name ?? 'Playground' },
      channels: CHANNELS,
      users: [...USERS],
      bot: BOT_USER,
      dms: Object.fromEntries(USERS.map((u) => [u.id, discord.dmChannelFor(u.id)])),
      upstream: simBase ? 'simulator' : 'real',
    };
    const web = await startWebServer({
      discord,
      live,
      world,
      host: o.host ?? '127.0.0.1',
      port: o.port ?? 0,
      upstreamBase: simBase,
    });
    stops.push(() => web.close());
    return { url: web.url, discord, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
