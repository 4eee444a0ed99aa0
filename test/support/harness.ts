import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CommandOption } from '../../emulators/discord/commands.js';
import {
  type FakeAttachmentSpec,
  FakeDiscord,
  type FakeDiscordOptions,
  type FakeMessage,
  type FakeUser,
  type InteractionHandle,
  type RestCall,
} from '../../emulators/discord/index.js';
import { MjSimulator, type SimOptions } from '../../emulators/midjourney/index.js';
import { type Bot, type BotOptions, createBot } from '../../src/app.js';
import { type Config, loadConfig, secretsOf } from '../../src/config.js';
import type { JobEvent } from '../../src/jobs/events.js';
import type { FailureKind } from '../../src/jobs/types.js';
import { createLogger } from '../../src/log.js';
import { FakeClock } from './fakeClock.js';
import { TcpGate } from './tcpGate.js';

export const GUILD = '200000000000000001';
export const CHANNEL = '200000000000000002';
export const OTHER_CHANNEL = '200000000000000003';
export const alice: FakeUser = { id: '300000000000000001', username: 'alice', locale: 'en-US' };
export const bob: FakeUser = { id: '300000000000000002', username: 'bob', locale: 'en-US' };
export const API_KEY = 'sk-test-upstream-key-0123456789';

export interface HarnessOptions {
  discord?: FakeDiscordOptions;
  sim?: SimOptions;
  env?: Record<string, string>;
  bot?: Partial<BotOptions>;
  /** Put a {@link TcpGate} between the bot and the simulator (`h.gate`), so a test can make the upstream refuse connections. */
  gate?: boolean;
}

/**
 * The real bot (createBot: a real discord.js Client, the real upstream client, a SQLite store in a temp dir)
 * against the fake Discord and the midjourney-proxy simulator, both on 127.0.0.1. Time is driven by the test:
 * `poll()` runs one tracker tick and waits for the resulting edits.
 */
export class Harness {
  bot!: Bot;
  /** Every log line the bot wrote (JSON), in order, across restarts. */
  readonly logs: string[] = [];
  private logWaiters: Array<{
    pred: (line: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }> = [];
  /** Every job event the bot announced on its hub, in order, across restarts. */
  readonly events: JobEvent[] = [];
  private eventWaiters: Array<{ pred: (e: JobEvent) => boolean; resolve: (e: JobEvent) => void }> = [];
  /** The relay in front of the simulator, when the harness was started with `gate: true`. */
  gate: TcpGate | null = null;
  /**
   * The fake Discord's clock (3 s acknowledgement deadline, 15-minute tokens): the bot's clock when the test
   * gives one, else a clock of its own that only the test moves.
   */
  discordClock!: FakeClock;
  /** Discord error codes (or statuses, for answers without a code) the test provokes on purpose. */
  private readonly expectedErrors = new Set<number>();
  private constructor(
    readonly discord: FakeDiscord,
    readonly sim: MjSimulator,
    readonly config: Config,
    private readonly opts: HarnessOptions,
    private readonly dir: string,
  ) {}

  static async start(opts: HarnessOptions = {}): Promise<Harness> {
    const given = opts.bot?.clock;
    const discordClock = given instanceof FakeClock ? given : new FakeClock(Date.now());
    const discord = await FakeDiscord.start({
      guilds: [{ id: GUILD, name: 'Test', channels: [{ id: CHANNEL }, { id: OTHER_CHANNEL }] }],
      now: () => discordClock.now(),
      ...opts.discord,
    });
    const sim = await MjSimulator.start({ apiKey: API_KEY, ...opts.sim });
    const gate = opts.gate ? await TcpGate.open(sim.baseUrl) : null;
    const dir = mkdtempSync(join(tmpdir(), 'mj-e2e-store-'));
    const config = loadConfig({
      DISCORD_TOKEN: discord.token,
      MJ_BASE_URL: gate?.url ?? sim.baseUrl,
      MJ_API_KEY: API_KEY,
      STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
      DISCORD_API_BASE: discord.restApi,
      DISCORD_GUILD_ID: GUILD,
      LOG_LEVEL: 'debug',
      ...opts.env,
    });
    const h = new Harness(discord, sim, config, opts, dir);
    h.gate = gate;
    h.discordClock = discordClock;
    await h.boot();
    return h;
  }

  /** Starts a bot process-alike over the same store: a new Client, tracker and publisher. */
  async boot(): Promise<void> {
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        const line = String(chunk);
        this.logs.push(line);
        const parsed = JSON.parse(line) as Record<string, unknown>;
        const due = this.logWaiters.filter((w) => w.pred(parsed));
        this.logWaiters = this.logWaiters.filter((w) => !due.includes(w));
        for (const w of due) w.resolve(parsed);
        done();
      },
    });
    const logger = createLogger({ level: 'debug', secrets: secretsOf(this.config), destination: sink });
    this.bot = createBot(this.config, {
      logger,
      autoPoll: false,
      channelBudget: { limit: 1000, windowMs: 1000 },
      ...this.opts.bot,
    });
    this.bot.events.on('*', (event) => {
      this.events.push(event);
      const due = this.eventWaiters.filter((w) => w.pred(event));
      this.eventWaiters = this.eventWaiters.filter((w) => !due.includes(w));
      for (const w of due) w.resolve(event);
    });
    await this.bot.start();
  }

  /** Stops the bot as a shutdown would, then boots a new one over the same store. */
  async restart(): Promise<void> {
    await this.bot.stop();
    await this.boot();
  }

  /**
   * Resolves with the `count`-th log line (counting lines already written) whose `msg` is `msg` and whose
   * fields match `fields`. Event-driven: nothing polls.
   */
  waitForLog(msg: string, fields: Record<string, unknown> = {}, count = 1): Promise<Record<string, unknown>> {
    const matches = (l: Record<string, unknown>) =>
      l.msg === msg && Object.entries(fields).every(([k, v]) => l[k] === v);
    let seen = this.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter(matches);
    if (seen.length >= count) return Promise.resolve(seen[count - 1] as Record<string, unknown>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log line "${msg}" #${count}`)), 10_000);
      let n = seen.length;
      seen = [];
      this.logWaiters.push({
        pred: (l) => matches(l) && ++n >= count,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  /**
   * Resolves with the `count`-th job event (counting events already announced, across restarts) that `pred`
   * accepts. Event-driven: nothing polls.
   */
  waitForEvent(pred: (e: JobEvent) => boolean, count = 1): Promise<JobEvent> {
    const seen = this.events.filter(pred);
    if (seen.length >= count) return Promise.resolve(seen[count - 1] as JobEvent);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no job event #${count} such as ${pred}`)), 10_000);
      let n = seen.length;
      this.eventWaiters.push({
        pred: (e) => pred(e) && ++n >= count,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** Submits the upstream accepted so far, in all since the harness started (see {@link isSubmit}). */
  submits(): number {
    return this.events.filter(isSubmit).length;
  }

  /** Waits until `count` submits (in all, since the harness started) were accepted by the upstream. */
  submitted(count = 1): Promise<JobEvent> {
    return this.waitForEvent(isSubmit, count);
  }

  /** Waits until a submit was refused or failed, for `failure` when given; resolves with the failed job's event. */
  submitFailed(failure?: FailureKind): Promise<JobEvent> {
    return this.waitForEvent(
      (e) =>
        e.type === 'failed' &&
        (e.from === 'submitting' || e.from === 'modal') &&
        (!failure || e.job.failure?.kind === failure),
    );
  }

  /** One tracker tick, then every resulting edit delivered. */
  async poll(): Promise<void> {
    await this.bot.tracker.pollNow();
    await this.bot.publisher.idle();
  }

  /** `/imagine prompt` through {@link runCommand}; resolves with the interaction handle. */
  async imagine(prompt: string, user: FakeUser = alice, opts: Omit<RunOptions, 'options'> = {}) {
    return runCommand(this.discord, 'imagine', user, {
      ...opts,
      options: [{ name: 'prompt', type: 3, value: prompt }],
    });
  }

  /** Any slash command, through {@link runCommand}. */
  run(name: string, user: FakeUser = alice, opts: RunOptions = {}): InteractionHandle {
    return runCommand(this.discord, name, user, opts);
  }

  /** Waits until the local queue has nothing left to do (dispatches, positions), then for every edit. */
  async settle(): Promise<void> {
    await this.bot.ctx.queue.idle();
    await this.bot.publisher.idle();
  }

  /** The message whose content matches, once it does. */
  waitFor(pred: (m: FakeMessage) => boolean): Promise<FakeMessage> {
    return this.discord.waitForMessage(pred);
  }

  /**
   * Allows Discord errors the test provokes on purpose (by code, e.g. 10062, or by status when the answer has no
   * code, e.g. 429). Any other 4xx/5xx answer to the bot fails the test when the harness closes.
   */
  expectDiscordError(...codes: number[]): void {
    for (const code of codes) this.expectedErrors.add(code);
  }

  /** The bot's calls that Discord refused and the test neither injected nor expected. */
  unexpectedDiscordErrors(): RestCall[] {
    return this.discord.calls.filter((c) => {
      if (c.status < 400 || c.injected) return false;
      const code = (c.answer as { code?: number } | undefined)?.code;
      return !(this.expectedErrors.has(c.status) || (code !== undefined && this.expectedErrors.has(code)));
    });
  }

  /** Stops everything; fails (after cleaning up) when Discord refused a call the test did not expect. */
  async close(): Promise<void> {
    await this.bot.stop().catch(() => undefined);
    await this.gate?.close();
    await this.discord.close();
    await this.sim.close();
    rmSync(this.dir, { recursive: true, force: true });
    const unexpected = this.unexpectedDiscordErrors();
    this.expectedErrors.clear();
    this.discord.calls.length = 0;
    if (unexpected.length) throw new Error(describeRefusals(unexpected));
  }
}

/** The refused calls, each with its request and Discord's answer, for the failure message. */
export function describeRefusals(calls: RestCall[]): string {
  const lines = calls.map(
    (c) =>
      `${c.method} ${c.path} → ${c.status}\n  request: ${JSON.stringify(c.body)?.slice(0, 1500)}` +
      `\n  answer: ${JSON.stringify(c.answer)?.slice(0, 1500)}`,
  );
  return `Discord refused ${calls.length} call(s) the test did not expect (h.expectDiscordError(code) allows one):\n${lines.join('\n')}`;
}

/** How a test runs a slash command: options, attachments bound to options, where, and as which member. */
export interface RunOptions {
  options?: CommandOption[];
  attachments?: FakeAttachmentSpec[];
  /** In a DM with the bot instead of the guild channel. */
  dm?: boolean;
  channelId?: string;
  locale?: string;
  memberPermissions?: string;
  memberRoles?: string[];
}

/**
 * The one launcher of slash commands in tests: `/name` as `user` in the guild channel (or `channelId`, or a DM with
 * `dm: true`). `Harness.run` and `Harness.imagine` go through it; tests of a bot process call it on their fake.
 */
export function runCommand(
  discord: FakeDiscord,
  name: string,
  user: FakeUser = alice,
  opts: RunOptions = {},
): InteractionHandle {
  const { dm, channelId, ...rest } = opts;
  return discord.command({
    name,
    user,
    ...(dm ? {} : { guildId: GUILD, channelId: channelId ?? CHANNEL }),
    ...rest,
  });
}

/**
 * A submit the upstream accepted: a job sent (or a pop-up answered) is now tracked, or waits for its pop-up.
 * A job reopened by a check, or a tracked task that turned MODAL, is no submit.
 */
export function isSubmit(e: JobEvent): boolean {
  return (e.type === 'accepted' || e.type === 'paused') && (e.from === 'submitting' || e.from === 'modal');
}

/** Every button custom_id of a message, flattened, with labels. */
export function buttonsOf(m: FakeMessage): Array<{ label: string; emoji: string | null; customId: string }> {
  return m.components.flatMap((row: { components: Array<Record<string, unknown>> }) =>
    row.components.map((c) => ({
      label: String(c.label ?? ''),
      emoji: (c.emoji as { name?: string } | undefined)?.name ?? null,
      customId: String(c.custom_id),
    })),
  );
}

/** What each button shows: its label, or its emoji when it has none. */
export function labelsOf(m: FakeMessage): string[] {
  return buttonsOf(m).map((b) => b.label || b.emoji || '');
}

/** The bot's own controls under a finished image (row 5): seed, send to DMs, delete. */
export const RESULT_CONTROLS = ['🌱', '✉️', '🗑️'];

/** The buttons of a finished grid, as the official bot shows them, then the bot's own controls. */
export const GRID_LABELS = ['U1', 'U2', 'U3', 'U4', '🔄', 'V1', 'V2', 'V3', 'V4', ...RESULT_CONTROLS];

/** The button shown as `label` (its label or its emoji), if the message has one. */
export function buttonOf(m: FakeMessage, label: string): ReturnType<typeof buttonsOf>[number] | undefined {
  return buttonsOf(m).find((x) => x.label === label || x.emoji === label);
}

/** The custom_id of the button shown as `label` (its label or its emoji); throws when the message has none. */
export function customIdOf(m: FakeMessage, label: string): string {
  const b = buttonOf(m, label);
  if (!b) throw new Error(`no button ${label} in ${JSON.stringify(buttonsOf(m))}`);
  return b.customId;
}

/**
 * The one task finisher of tests: waits for the `nth` submit, then runs the most recent task to SUCCESS (with
 * `result`: its buttons, image…) through two polls; returns the task id.
 */
export async function finishTask(
  h: Harness,
  nth = 1,
  result?: Parameters<MjSimulator['succeed']>[1],
): Promise<string> {
  await h.submitted(nth);
  const taskId = h.sim.lastTaskId();
  h.sim.start(taskId);
  h.sim.progress(taskId, 50);
  await h.poll();
  h.sim.succeed(taskId, result);
  await h.poll();
  return taskId;
}
