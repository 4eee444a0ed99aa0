/**
 * Fake Discord (REST + gateway on 127.0.0.1) for end-to-end tests with a real discord.js Client.
 *
 * ```ts
 * const discord = await FakeDiscord.start({ guilds: [{ id: '1', channels: [{ id: '2' }] }] });
 * const client = new Client({ intents, partials: [Partials.Channel], rest: { api: discord.restApi } });
 * await client.login(discord.token);
 * const msg = await discord.command({ name: 'imagine', user, guildId: '1' }).message();
 * ```
 */
export type { CommandOption } from './commands.js';
export type { ModalSubmitSpec } from './components.js';
export { type ClickSpec, type CommandSpec, FakeDiscord, type SelectSpec } from './fakeDiscord.js';
export type * from './types.js';
export type { UserMessageSpec } from './userMessages.js';
