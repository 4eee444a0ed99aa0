import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../emulators/discord/index.js';
import { MjSimulator } from '../../emulators/midjourney/index.js';
import { BotProcess, botEnv, tempStore } from '../support/botProcess.js';
import {
  API_KEY,
  alice,
  CHANNEL,
  customIdOf,
  finishTask,
  GUILD,
  Harness,
  runCommand,
} from '../support/harness.js';

const CALLBACK_SECRET = 'cb-secret-0123456789-abcdefghij';
/** Callbacks on (so the secret is in use), served on a free loopback port. */
const CALLBACK_ENV = {
  PUBLIC_URL: 'http://127.0.0.1:9',
  CALLBACK_SECRET,
  HTTP_PORT: '0',
  HTTP_HOST: '127.0.0.1',
};

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Where each secret shows up in `text`, if anywhere (a readable failure instead of a wall of text). */
function leaks(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets).flatMap(([name, secret]) => {
    const at = text.indexOf(secret);
    return at < 0 ? [] : [`${name} at …${text.slice(Math.max(0, at - 80), at + secret.length + 20)}…`];
  });
}

/** Text that quotes every secret, as a careless upstream or proxy might echo it back. */
const echo = (discordToken: string) =>
  `upstream says: Authorization: Bearer ${API_KEY}; hook /hooks/mj/${CALLBACK_SECRET}; bot ${discordToken}`;

describe('secrets never leave: logs, Discord messages, errors and crash output are scanned', () => {
  it('in-process: refused key, echoing upstream errors and failures, Discord errors', async () => {
    const h = await Harness.start({ env: CALLBACK_ENV, bot: { upstream: { readRetries: 0 } } });
    cleanup.push(() => h.close());
    const secrets = { discordToken: h.discord.token, apiKey: API_KEY, callbackSecret: CALLBACK_SECRET };
    const text = echo(h.discord.token);

    // a refused key whose error page echoes the secrets
    h.sim.fault({ endpoint: 'submit/imagine' }, { http: 401, body: text, contentType: 'text/plain' });
    const refused = await (await h.imagine('first')).message();
    await h.waitFor((m) => m.id === refused.id && m.content.includes('(Failed)'));
    // a refusal (code 4) and a failed task that quote them, shown to the user
    h.sim.nextSubmit({ code: 4, description: text });
    const rejected = await (await h.imagine('second')).message();
    await h.waitFor((m) => m.id === rejected.id && m.content.includes('(Failed)'));
    expect(rejected.content).toContain('[redacted]'); // the rest of the upstream text is still quoted
    const failed = await (await h.imagine('third')).message();
    await h.submitted();
    h.sim.fail(h.sim.lastTaskId(), text);
    await h.poll();
    expect(failed.content).toContain('upstream says');
    // reads failing with the echo, and a Discord error quoting the bot token
    const grid = await (await h.imagine('fourth')).message();
    await finishTask(h, 2);
    h.sim.fault({ endpoint: 'task/list-by-condition' }, { http: 500, body: text, contentType: 'text/plain' });
    h.discord.failNext(
      { method: 'PATCH' },
      { status: 400, code: 50035, message: `Invalid Form Body ${text}` },
    );
    await h.discord
      .clickButton({ messageId: grid.id, customId: customIdOf(grid, 'U1'), user: alice })
      .message();
    await h.submitted(3);
    await h.poll();
    h.sim.complete(h.sim.lastTaskId());
    await h.poll();
    await h.waitForLog('polling the upstream failed; backing off');
    await h.waitForLog('could not update the job message');

    const discordText = h.discord.calls.map((c) => JSON.stringify({ path: c.path, body: c.body })).join('\n');
    expect(leaks(h.logs.join(''), secrets)).toEqual([]);
    expect(leaks(discordText, secrets)).toEqual([]);
    // the scan would see them: the logs do carry the scrubbed echoes
    expect(h.logs.join('')).toContain('[redacted]');
  });

  it('child processes: faults, a crash (SIGKILL), a refused Discord token and a broken store', async () => {
    const discordToken = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.the-real-looking-discord-token';
    const discord = await FakeDiscord.start({
      guilds: [{ id: GUILD, name: 'Test', channels: [{ id: CHANNEL }] }],
      token: discordToken,
      echoBotMessages: false,
    });
    const sim = await MjSimulator.start({ apiKey: API_KEY });
    const store = tempStore();
    cleanup.push(
      () => discord.close(),
      () => sim.close(),
      () => store.remove(),
    );
    const secrets = { discordToken, apiKey: API_KEY, callbackSecret: CALLBACK_SECRET };
    const text = echo(discordToken);
    const env = botEnv({
      discordToken,
      discordApi: discord.restApi,
      simUrl: sim.baseUrl,
      storePath: store.path,
      extra: CALLBACK_ENV,
    });
    const imagine = (prompt: string) =>
      runCommand(discord, 'imagine', alice, { options: [{ name: 'prompt', type: 3, value: prompt }] });

    const bot = new BotProcess(env);
    cleanup.push(() => bot.dispose());
    await bot.waitForLog('resumed active jobs');
    sim.fault({ endpoint: 'submit/imagine' }, { http: 502, body: text, contentType: 'text/plain' });
    await imagine('an echoed error').message();
    await bot.waitForLog('submit failed');
    await imagine('a failing task').message();
    await bot.waitForLog('submitted');
    sim.fault({ endpoint: 'task/list-by-condition' }, { http: 500, body: text, contentType: 'text/plain' });
    await bot.waitForLog('mj: read failed, retrying');
    sim.fail(sim.lastTaskId(), text);
    await discord.waitForMessage((m) => m.content.includes('upstream says'));
    bot.kill('SIGKILL');
    await bot.exited;

    const wrongToken = new BotProcess({ ...env, DISCORD_TOKEN: `${discordToken}-revoked` });
    cleanup.push(() => wrongToken.dispose());
    expect((await wrongToken.exited).code).toBe(1);
    expect(wrongToken.lines.some((l) => l.msg === 'could not start')).toBe(true);

    const broken = tempStore();
    cleanup.push(broken.remove);
    const noStore = new BotProcess({ ...env, STORE_URL: `sqlite://${broken.dir}` }); // a folder, not a file
    cleanup.push(() => noStore.dispose());
    expect((await noStore.exited).code).toBe(78);

    const discordText = discord.calls.map((c) => JSON.stringify({ path: c.path, body: c.body })).join('\n');
    const output = [bot, wrongToken, noStore].map((p) => p.stdout + p.stderr).join('\n');
    expect(leaks(output, { ...secrets, revoked: `${discordToken}-revoked` })).toEqual([]);
    expect(leaks(discordText, secrets)).toEqual([]);
    expect(output).toContain('[redacted]');
  }, 60_000);
});
