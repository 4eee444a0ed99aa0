import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../emulators/discord/index.js';
import { MjSimulator } from '../../emulators/midjourney/index.js';
import { BotProcess, botEnv, tempStore } from '../support/botProcess.js';
import {
  API_KEY,
  alice,
  bob,
  CHANNEL,
  GRID_LABELS,
  GUILD,
  labelsOf,
  runCommand,
} from '../support/harness.js';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function fakes() {
  const discord = await FakeDiscord.start({
    guilds: [{ id: GUILD, name: 'Test', channels: [{ id: CHANNEL }] }],
    echoBotMessages: false,
  });
  const sim = await MjSimulator.start({ apiKey: API_KEY });
  const store = tempStore();
  cleanup.push(
    () => discord.close(),
    () => sim.close(),
    () => store.remove(),
  );
  const env = botEnv({
    discordToken: discord.token,
    discordApi: discord.restApi,
    simUrl: sim.baseUrl,
    storePath: store.path,
  });
  const start = async () => {
    const bot = new BotProcess(env);
    cleanup.push(() => bot.dispose());
    await bot.waitForLog('resumed active jobs');
    return bot;
  };
  const imagine = (prompt: string, user = alice) =>
    runCommand(discord, 'imagine', user, { options: [{ name: 'prompt', type: 3, value: prompt }] });
  return { discord, sim, start, imagine };
}

describe('graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: exits 0 with the store closed; the restarted bot finishes the job in the same message',
    async (signal) => {
      const { discord, sim, start, imagine } = await fakes();
      const first = await start();
      const msg = await imagine('a job across a restart').message();
      await first.waitForLog('submitted');
      const task = sim.lastTaskId();
      sim.start(task);
      sim.progress(task, 30);
      await discord.waitForMessage((m) => m.id === msg.id && m.content.includes('(30%)'));

      first.kill(signal);
      expect((await first.exited).code).toBe(0);
      expect(first.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));

      const second = await start();
      expect(await second.waitForLog('resumed active jobs')).toMatchObject({ tracked: 1, abandoned: 0 });
      sim.succeed(task);
      await discord.waitForMessage((m) => m.id === msg.id && m.attachments.length === 1);
      expect(labelsOf(msg)).toEqual(GRID_LABELS);
      expect(sim.submits('imagine')).toHaveLength(1);
      second.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    },
  );

  it('SIGTERM during a submit: takes nothing new, lets the submit record its task, then stops; nothing is lost', async () => {
    const { discord, sim, start, imagine } = await fakes();
    const first = await start();
    let release: () => void = () => undefined;
    sim.fault({ endpoint: 'submit/imagine' }, { until: new Promise<void>((r) => (release = r)) });
    const msg = await imagine('submitted while stopping').message();
    await sim.waitForRequest((r) => r.endpoint === 'submit/imagine');

    first.kill('SIGTERM');
    await first.waitForLog('waiting for interactions under way', { interactions: 1 });
    const late = await imagine('too late', bob).response;
    expect(late.type).toBe(4);
    expect(late.data.flags & 64).toBe(64);
    expect(late.data.content).toContain('restarting');
    release();
    expect((await first.exited).code).toBe(0);
    expect(first.lines.some((l) => l.msg === 'submitted')).toBe(true); // recorded before the store closed
    expect(sim.submits('imagine')).toHaveLength(1); // the late command sent nothing

    const second = await start();
    expect(await second.waitForLog('resumed active jobs')).toMatchObject({ tracked: 1, abandoned: 0 });
    sim.complete(sim.lastTaskId());
    await discord.waitForMessage((m) => m.id === msg.id && m.attachments.length === 1);
    expect(msg.content).toBe(`**submitted while stopping** - <@${alice.id}> (fast)`);
    expect(sim.submits('imagine')).toHaveLength(1);
  });
  it('a second signal while draining exits at once with 1, before the drain ends', async () => {
    const { sim, start, imagine } = await fakes();
    const first = await start();
    let release: () => void = () => undefined;
    sim.fault({ endpoint: 'submit/imagine' }, { until: new Promise<void>((r) => (release = r)) });
    await imagine('stopped twice').message();
    await sim.waitForRequest((r) => r.endpoint === 'submit/imagine');
    first.kill('SIGTERM');
    await first.waitForLog('waiting for interactions under way', { interactions: 1 });
    first.kill('SIGTERM');
    expect((await first.exited).code).toBe(1);
    expect(first.lines.map((l) => l.msg)).toContain('second signal: exiting now');
    expect(first.lines.map((l) => l.msg)).not.toContain('stopped');
    release();
  });
});
