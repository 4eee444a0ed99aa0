import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeMessage, type InteractionHandle } from '../../emulators/discord/index.js';
import { MjSimulator } from '../../emulators/midjourney/index.js';
import { BotProcess, botEnv, tempStore } from '../support/botProcess.js';
import { API_KEY, alice, CHANNEL, GRID_LABELS, GUILD, labelsOf, runCommand } from '../support/harness.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

interface Tracked {
  group: 'midSubmit' | 'accepted' | 'progress' | 'doneUpstream' | 'finalUnshown';
  prompt: string;
  handle: InteractionHandle;
  msg: FakeMessage;
}

describe('crash safety: SIGKILL with 20 jobs in flight, then a restart', () => {
  it('every message reaches its final state, none is duplicated, no task is submitted twice', async () => {
    // Two jobs per channel: each channel's write budget (5 per 5 s) is then no bottleneck.
    const channels = Array.from({ length: 10 }, (_, i) => `2000000000000001${String(i).padStart(2, '0')}`);
    const discord = await FakeDiscord.start({
      guilds: [{ id: GUILD, name: 'Test', channels: channels.map((id) => ({ id })) }],
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
      extra: { MAX_CONCURRENT_PER_USER: '100' }, // all 20 run at once (none waits in the local queue)
    });
    const first = new BotProcess(env);
    cleanup.push(() => first.dispose());
    await first.waitForLog('resumed active jobs');

    const jobs: Tracked[] = [];
    let started = 0;
    const run = async (group: Tracked['group'], i: number) => {
      const channelId = channels[started++ % channels.length] ?? CHANNEL;
      const prompt = `${group} job ${i}`;
      const handle = runCommand(discord, 'imagine', alice, {
        channelId,
        options: [{ name: 'prompt', type: 3, value: prompt }],
      });
      const job = { group, prompt, handle, msg: await handle.message() };
      jobs.push(job);
      return job;
    };
    const taskOf = (job: Tracked) => {
      const task = [...sim.tasks.values()].find((t) => t.prompt === job.prompt);
      if (!task) throw new Error(`no task for ${job.prompt}`);
      return task.id;
    };
    const shows = (job: Tracked, text: string) =>
      discord.waitForMessage((m) => m.id === job.msg.id && m.content.includes(text));

    // 2 jobs caught mid-submit: the upstream holds their submit (it will accept it after the crash).
    let release: () => void = () => undefined;
    sim.fault({ endpoint: 'submit/imagine' }, { until: new Promise<void>((r) => (release = r)) }, 2);
    await Promise.all([0, 1].map((i) => run('midSubmit', i)));
    await sim.waitForRequest(() => sim.submits('imagine').length === 2);
    // 18 accepted: 4 not started yet, 6 in progress, 6 that will finish while the bot is down, 2 whose final
    // state the bot saw but could not show yet (Discord answered 500).
    const groups: Array<[Tracked['group'], number]> = [
      ['accepted', 4],
      ['progress', 6],
      ['doneUpstream', 6],
      ['finalUnshown', 2],
    ];
    await Promise.all(groups.flatMap(([group, n]) => Array.from({ length: n }, (_, i) => run(group, i))));
    await first.waitForLog('submitted', {}, 18);
    const of = (g: Tracked['group']) => jobs.filter((j) => j.group === g);

    const running = [...of('progress'), ...of('doneUpstream'), ...of('finalUnshown')];
    for (const [k, job] of running.entries()) {
      sim.start(taskOf(job));
      sim.progress(taskOf(job), 10 + k * 5);
    }
    await Promise.all(running.map((job, k) => shows(job, `(${10 + k * 5}%)`)));
    for (const job of of('finalUnshown')) {
      discord.failNext({ method: 'PATCH', pathIncludes: job.handle.token }, { status: 500 }, 4);
      sim.succeed(taskOf(job));
    }
    await waitForRetries(first, 2);

    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // At the crash no final state had reached Discord.
    for (const job of jobs) expect(job.msg.attachments, job.prompt).toHaveLength(0);
    for (const job of of('finalUnshown')) expect(job.msg.content).toMatch(/\(\d+%\)/);

    for (const job of of('doneUpstream')) sim.succeed(taskOf(job));
    release(); // the held submits now reach the upstream, which creates their tasks: the bot never learns their ids

    const second = new BotProcess(env);
    cleanup.push(() => second.dispose());
    const resumed = await second.waitForLog('resumed active jobs');
    await sim.waitForRequest(() => sim.created.length === 20); // checked at each poll of the new process
    expect(resumed).toMatchObject({ tracked: 16, waiting: 0, abandoned: 2 });
    for (const job of of('accepted')) sim.complete(taskOf(job));
    for (const job of of('progress')) sim.succeed(taskOf(job));

    const succeeded = jobs.filter((j) => j.group !== 'midSubmit');
    await Promise.all(
      succeeded.map((job) =>
        discord.waitForMessage((m) => m.id === job.msg.id && m.attachments.length === 1),
      ),
    );
    await Promise.all(of('midSubmit').map((job) => shows(job, '(Failed)')));

    for (const job of succeeded) {
      expect(job.msg.content).toBe(`**${job.prompt}** - <@${alice.id}> (fast)`);
      expect(labelsOf(job.msg)).toEqual(GRID_LABELS);
    }
    for (const job of of('midSubmit')) {
      expect(job.msg.content).toContain('may still be making this job');
      expect(labelsOf(job.msg)).toEqual(['Retry']);
    }
    // One message per job, in its channel; nothing else was posted.
    const posted = [...discord.messages.values()].filter((m) => !m.ephemeral && !m.deleted);
    expect(posted).toHaveLength(20);
    expect(new Set(posted.map((m) => m.id))).toEqual(new Set(jobs.map((j) => j.msg.id)));
    // Each job was submitted exactly once, across both processes.
    const prompts = sim.submits('imagine').map((r) => r.body.prompt);
    expect(prompts).toHaveLength(20);
    expect(new Set(prompts).size).toBe(20);
    expect(second.lines.filter((l) => l.msg === 'submitted')).toHaveLength(0);
    expect(first.stderr + second.stderr).toBe('');

    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 60_000);
});

/** Resolves once the bot logged `n` final states that Discord did not take (each waiting for another try). */
async function waitForRetries(bot: BotProcess, n: number): Promise<void> {
  await bot.waitForLog('Discord did not take the job message update; trying again', { final: true }, n);
}
