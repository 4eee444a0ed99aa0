import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type Interaction, Partials } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { shardOf } from '../../emulators/discord/gateway.js';
import { FakeDiscord, type FakeUser } from '../../emulators/discord/index.js';

const ON_SHARD_0 = '400000000000000001'; // (id >> 22) % 2 === 0
const ON_SHARD_1 = '400000000004194304'; // (id >> 22) % 2 === 1
const alice: FakeUser = { id: '300000000000000001', username: 'alice' };

let discord: FakeDiscord | undefined;
const clients: Client[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  await discord?.close();
  discord = undefined;
});

/** A real discord.js client connecting exactly `shards` of `shardCount`, as SHARD_IDS / SHARD_COUNT set it. */
async function shardClient(d: FakeDiscord, shards: number[], shardCount: number): Promise<Client> {
  const client = new Client({
    shards,
    shardCount,
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    rest: { api: d.restApi },
    waitGuildTimeout: 50,
  });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(d.token);
  await ready;
  return client;
}

describe('the fake Discord routes events by shard, as Discord does', () => {
  it('(guild_id >> 22) % num_shards', () => {
    expect(shardOf(ON_SHARD_0, 2)).toBe(0);
    expect(shardOf(ON_SHARD_1, 2)).toBe(1);
    expect(shardOf(null, 2)).toBe(0); // DMs
    expect(shardOf(ON_SHARD_1, 1)).toBe(0);
  });

  it("two processes' clients each get their own shard's guilds and interactions; DMs go to shard 0", async () => {
    discord = await FakeDiscord.start({
      guilds: [
        { id: ON_SHARD_0, name: 'Zero', channels: [{ id: '400000000000000011' }] },
        { id: ON_SHARD_1, name: 'One', channels: [{ id: '400000000004194311' }] },
      ],
    });
    const [zero, one] = [await shardClient(discord, [0], 2), await shardClient(discord, [1], 2)];
    expect([...zero.guilds.cache.keys()]).toEqual([ON_SHARD_0]);
    expect([...one.guilds.cache.keys()]).toEqual([ON_SHARD_1]);
    const seen: Array<[string, string | null]> = [];
    const record = (name: string) => (i: Interaction) => {
      seen.push([name, i.guildId]);
      if (i.isRepliable()) void i.reply({ content: name });
    };
    zero.on(Events.InteractionCreate, record('zero'));
    one.on(Events.InteractionCreate, record('one'));
    for (const guildId of [ON_SHARD_1, ON_SHARD_0, undefined]) {
      const handle = discord.command({ name: 'help', user: alice, ...(guildId ? { guildId } : {}) });
      expect(await handle.response).toMatchObject({ type: 4 });
    }
    expect(seen.sort()).toEqual([
      ['one', ON_SHARD_1],
      ['zero', null],
      ['zero', ON_SHARD_0],
    ]);
  });
});
