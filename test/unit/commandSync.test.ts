/** Command sync writes only on change, against the fake Discord (which lists localizations only when asked). */
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCommands, loadMessageCommands } from '../../commands/index.js';
import { FakeDiscord } from '../../emulators/discord/index.js';
import { syncCommands } from '../../src/interactions/commandSync.js';
import { createLogger } from '../../src/log.js';

let discord: FakeDiscord | undefined;
afterEach(async () => {
  await discord?.close();
  discord = undefined;
});

const GUILD = '200000000000000001';

async function setup() {
  discord = await FakeDiscord.start({ guilds: [{ id: GUILD, channels: [{ id: '200000000000000002' }] }] });
  const rest = new REST({ api: discord.restApi }).setToken(discord.token);
  const logger = createLogger({ level: 'silent', secrets: [] });
  const d = discord;
  const sync = (commands: Record<string, unknown>[]) =>
    syncCommands({
      rest,
      applicationId: d.applicationId,
      guildId: GUILD,
      commands: commands as never,
      logger,
    });
  const puts = () => d.calls.filter((c) => c.method === 'PUT').length;
  return { sync, puts };
}

describe('command sync', () => {
  it("the bot's own commands: a second start makes no write", async () => {
    const { sync, puts } = await setup();
    const all = [...loadCommands().values(), ...loadMessageCommands().values()];
    const commands = all.map((c) => c.data as unknown as Record<string, unknown>);
    expect(await sync(commands)).toBe(true);
    expect(await sync(commands)).toBe(false);
    expect(puts()).toBe(1);
  });

  it.each([
    ['default_member_permissions', { default_member_permissions: '8' }],
    ['contexts', { contexts: [0] }],
    ['integration_types', { integration_types: [1] }],
    ['localizations', { description_localizations: { 'zh-CN': '你好' } }],
    ['options', { options: [{ type: 3, name: 'text', description: 'Text' }] }],
    ['nsfw', { nsfw: true }],
  ])('writes when %s changes', async (_field, change) => {
    const { sync, puts } = await setup();
    const base = { name: 'hello', description: 'Says hello', contexts: [0, 1], integration_types: [0] };
    await sync([base]);
    expect(await sync([base])).toBe(false);
    expect(await sync([{ ...base, ...change }])).toBe(true);
    expect(await sync([{ ...base, ...change }])).toBe(false);
    expect(puts()).toBe(2);
  });
});
