import { once } from 'node:events';
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  FileUploadBuilder,
  GatewayIntentBits,
  type Interaction,
  LabelBuilder,
  type Message,
  MessageFlags,
  ModalBuilder,
  Partials,
  Routes,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeDiscordOptions, type FakeUser } from '../../emulators/discord/index.js';

const GUILD = '200000000000000001';
const CHANNEL = '200000000000000002';
const alice: FakeUser = { id: '300000000000000001', username: 'alice', locale: 'fr' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

let discord: FakeDiscord | undefined;
let client: Client | undefined;

/** Starts the fake and logs a real discord.js client into it; resolves once the client is ready. */
async function boot(opts: FakeDiscordOptions = {}): Promise<{ discord: FakeDiscord; client: Client }> {
  discord = await FakeDiscord.start({
    guilds: [{ id: GUILD, name: 'Test', channels: [{ id: CHANNEL }] }],
    ...opts,
  });
  client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages, GatewayIntentBits.GuildMessages],
    partials: [Partials.Channel, Partials.Message],
    rest: { api: discord.restApi },
    waitGuildTimeout: 50,
  });
  const ready = once(client, Events.ClientReady);
  await client.login(discord.token);
  await ready;
  return { discord, client };
}

/** Runs `fn` on the next interaction; the promise settles with the handler (so its failures fail the test). */
function nextInteraction<T>(c: Client, fn: (i: Interaction) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    c.once(Events.InteractionCreate, (i) => fn(i).then(resolve, reject));
  });
}

function buttonRow(customId: string) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(customId).setLabel('Go').setStyle(ButtonStyle.Primary),
  );
}

/** A guild command answered with a button; returns the message id. */
async function postButtonMessage(d: FakeDiscord, c: Client, customId: string): Promise<string> {
  const handled = nextInteraction(c, async (i) => {
    if (i.isChatInputCommand()) await i.reply({ content: 'pick', components: [buttonRow(customId)] });
  });
  const handle = d.command({ name: 'menu', user: alice, guildId: GUILD });
  await handled;
  return (await handle.message()).id;
}

afterEach(async () => {
  await client?.destroy();
  await discord?.close();
  client = undefined;
  discord = undefined;
});

describe('FakeDiscord with a real discord.js Client', () => {
  it('logs in and caches the guild and its channel', async () => {
    const { discord, client } = await boot();
    expect(client.user?.id).toBe(discord.botUser.id);
    expect(client.application?.id).toBe(discord.applicationId);
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.name).toBe('Test');
    expect(guild?.channels.cache.get(CHANNEL)?.type).toBe(ChannelType.GuildText);
    expect(guild?.members.me?.id).toBe(discord.botUser.id);
    expect(discord.calls.some((c) => c.path === '/gateway/bot' && c.auth === 'bot')).toBe(true);
  });

  it('records deferReply then editReply with a file and components in a guild', async () => {
    const { discord, client } = await boot();
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.deferReply();
      await i.editReply({
        content: 'done',
        files: [new AttachmentBuilder(PNG, { name: 'a.png' })],
        components: [buttonRow('again')],
      });
      return { channelId: i.channel?.id, guildId: i.guildId, locale: i.locale, perms: i.memberPermissions };
    });
    const handle = discord.command({ name: 'imagine', user: alice, guildId: GUILD });
    expect(await handle.response).toMatchObject({ type: 5 });
    const msg = await handle.message();
    const seen = await handled;
    expect(seen).toMatchObject({ channelId: CHANNEL, guildId: GUILD, locale: 'fr' });
    expect(seen.perms).not.toBeNull();
    expect(msg).toMatchObject({
      content: 'done',
      channelId: CHANNEL,
      guildId: GUILD,
      ephemeral: false,
      editCount: 1,
    });
    expect(msg.history[0]?.flags).toBe(MessageFlags.Loading);
    expect(msg.flags & MessageFlags.Loading).toBe(0);
    expect(msg.attachments.map((a) => a.filename)).toEqual(['a.png']);
    expect(msg.attachments[0]?.data.equals(PNG)).toBe(true);
    expect(msg.components[0].components[0].custom_id).toBe('again');
    const download = await fetch(msg.attachments[0]?.url ?? '');
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('handles a command in a DM (no guild) with the DM channel and user', async () => {
    const { discord, client } = await boot();
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.reply({ content: 'hello', flags: MessageFlags.Ephemeral });
      return {
        channel: i.channel,
        user: i.user.id,
        guildId: i.guildId,
        member: i.member,
        context: i.context,
      };
    });
    const handle = discord.command({ name: 'help', user: alice });
    const seen = await handled;
    expect(seen.channel?.type).toBe(ChannelType.DM);
    expect(seen.channel?.id).toBe(discord.dmChannelFor(alice.id));
    expect(seen).toMatchObject({ user: alice.id, guildId: null, member: null, context: 1 });
    const msg = await handle.message();
    expect(msg).toMatchObject({
      content: 'hello',
      guildId: null,
      ephemeral: true,
      channelId: seen.channel?.id,
    });
  });

  it('delivers a slash command attachment option that the bot can download', async () => {
    const { discord, client } = await boot();
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      const attachment = i.options.getAttachment('image', true);
      const bytes = Buffer.from(await (await fetch(attachment.url)).arrayBuffer());
      await i.reply(`got ${attachment.name} ${bytes.length}`);
      return {
        bytes,
        contentType: attachment.contentType,
        size: attachment.size,
        limit: i.attachmentSizeLimit,
      };
    });
    const image = { option: 'image', filename: 'in.png', contentType: 'image/png', data: PNG };
    const handle = discord.command({ name: 'describe', user: alice, guildId: GUILD, attachments: [image] });
    const seen = await handled;
    expect(seen.bytes.equals(PNG)).toBe(true);
    expect(seen).toMatchObject({ contentType: 'image/png', size: PNG.length, limit: 10 * 1024 * 1024 });
    expect((await handle.message()).content).toBe(`got in.png ${PNG.length}`);
    expect(discord.calls.some((c) => c.route === '/attachments/:id/:filename' && c.status === 200)).toBe(
      true,
    );
  });

  it('dispatches a button click with the message, and records the update', async () => {
    const { discord, client } = await boot();
    const messageId = await postButtonMessage(discord, client, 'go:1');
    const handled = nextInteraction(client, async (i) => {
      if (!i.isButton()) throw new Error('expected a button');
      const seen = { customId: i.customId, messageId: i.message.id, content: i.message.content };
      await i.update({ content: 'clicked', components: [] });
      return seen;
    });
    const click = discord.clickButton({ messageId, customId: 'go:1', user: alice });
    expect(await handled).toEqual({ customId: 'go:1', messageId, content: 'pick' });
    expect((await click.response).type).toBe(7);
    const msg = await click.message();
    expect(msg).toMatchObject({ id: messageId, content: 'clicked', components: [], editCount: 1 });
    expect(() => discord.clickButton({ messageId, customId: 'go:1', user: alice })).toThrow(/no component/);
  });

  it('keeps attachments on edits that omit them, like Discord, and honours ephemeral follow-ups', async () => {
    const { discord, client } = await boot();
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      const first = await i.reply({
        content: 'v1',
        files: [{ attachment: PNG, name: 'a.png' }],
        withResponse: true,
      });
      await i.editReply({ content: 'v2' });
      await i.followUp({ content: 'only you', flags: MessageFlags.Ephemeral });
      await i.editReply({ content: 'v3', attachments: [] });
      return first.resource?.message?.id;
    });
    const handle = discord.command({ name: 'merge', user: alice, guildId: GUILD });
    const replyId = await handled;
    const reply = await handle.message();
    expect(reply.id).toBe(replyId);
    expect(reply.history.map((h) => [h.content, h.attachmentNames])).toEqual([
      ['v1', ['a.png']],
      ['v2', ['a.png']],
      ['v3', []],
    ]);
    const followUp = await discord.waitForMessage((m) => m.content === 'only you');
    expect(followUp).toMatchObject({ ephemeral: true, interactionId: handle.id, webhookToken: handle.token });
    const callback = discord.calls.find((c) => c.route.endsWith('/callback'));
    expect(callback).toMatchObject({ status: 200, query: { with_response: 'true' }, auth: 'none' });
  });

  it('dispatches a select menu choice; deferUpdate then editReply edits that message', async () => {
    const { discord, client } = await boot();
    const posted = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      const menu = new StringSelectMenuBuilder()
        .setCustomId('size')
        .addOptions({ label: 'Small', value: 's' }, { label: 'Large', value: 'l' });
      await i.reply({
        content: 'size?',
        components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
      });
    });
    const command = discord.command({ name: 'size', user: alice, guildId: GUILD });
    await posted;
    const messageId = (await command.message()).id;
    const chosen = nextInteraction(client, async (i) => {
      if (!i.isStringSelectMenu()) throw new Error('expected a select menu');
      await i.deferUpdate();
      await i.editReply({ content: `size ${i.values.join()}`, components: [] });
      return i.values;
    });
    const select = discord.selectMenu({ messageId, customId: 'size', values: ['l'], user: alice });
    expect(await chosen).toEqual(['l']);
    expect((await select.response).type).toBe(6);
    expect(await select.message()).toMatchObject({ id: messageId, content: 'size l', components: [] });
  });

  it('records showModal (type 9) and delivers the modal submit fields and files', async () => {
    const { discord, client } = await boot();
    const messageId = await postButtonMessage(discord, client, 'edit');
    const modal = new ModalBuilder()
      .setCustomId('edit-modal')
      .setTitle('Edit')
      .addLabelComponents(
        new LabelBuilder()
          .setLabel('Prompt')
          .setTextInputComponent(
            new TextInputBuilder().setCustomId('prompt').setStyle(TextInputStyle.Paragraph),
          ),
        new LabelBuilder()
          .setLabel('Reference')
          .setFileUploadComponent(new FileUploadBuilder().setCustomId('ref').setRequired(false)),
      );
    const shown = nextInteraction(client, async (i) => {
      if (i.isButton()) await i.showModal(modal);
    });
    const click = discord.clickButton({ messageId, customId: 'edit', user: alice });
    await shown;
    const response = await click.response;
    expect(response.type).toBe(9);
    expect(response.data.custom_id).toBe('edit-modal');
    expect(discord.messages.size).toBe(1);

    const submitted = nextInteraction(client, async (i) => {
      if (!i.isModalSubmit()) throw new Error('expected a modal submit');
      await i.reply({ content: 'saved', flags: MessageFlags.Ephemeral });
      const files = i.fields.getUploadedFiles('ref');
      return {
        prompt: i.fields.getTextInputValue('prompt'),
        files: files?.map((f) => f.name),
        channel: i.channelId,
      };
    });
    const files = { ref: [{ filename: 'ref.png', contentType: 'image/png', data: PNG }] };
    const submit = discord.submitModal({
      customId: 'edit-modal',
      fields: { prompt: 'a cat' },
      files,
      user: alice,
    });
    expect(await submitted).toEqual({ prompt: 'a cat', files: ['ref.png'], channel: CHANNEL });
    expect((await submit.message()).content).toBe('saved');
  });

  it('edits a message through the channel route with the bot token', async () => {
    const { discord, client } = await boot();
    const messageId = await postButtonMessage(discord, client, 'x');
    await client.rest.patch(Routes.channelMessage(CHANNEL, messageId), { body: { content: 'edited' } });
    const msg = discord.messages.get(messageId);
    expect(msg).toMatchObject({ content: 'edited', editCount: 1 });
    expect(msg?.components[0].components[0].custom_id).toBe('x');
    const call = discord.calls.find(
      (c) => c.method === 'PATCH' && c.route === '/channels/:channel/messages/:message',
    );
    expect(call).toMatchObject({ auth: 'bot', status: 200, body: { content: 'edited' } });
  });

  it('rejects editReply with 50027 once the token expired', async () => {
    const { discord, client } = await boot();
    const handle = discord.command({ name: 'slow', user: alice, guildId: GUILD });
    const error = await nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.deferReply();
      discord.expireToken(i.token);
      return i.editReply('late').then(
        () => null,
        (e: unknown) => e,
      );
    });
    expect(handle.token).toBeTruthy();
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50027);
    expect((error as DiscordAPIError).status).toBe(401);
  });

  it('rejects a channel edit of a deleted message with 10008', async () => {
    const { discord, client } = await boot();
    const messageId = await postButtonMessage(discord, client, 'x');
    discord.deleteMessage(messageId);
    const error = await client.rest
      .patch(Routes.channelMessage(CHANNEL, messageId), { body: { content: 'nope' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(10008);
    expect(discord.messages.get(messageId)?.deleted).toBe(true);
  });

  it('lets discord.js retry after an injected 429 with retry-after', async () => {
    const { discord, client } = await boot();
    discord.failNext(
      { method: 'POST', pathIncludes: `/channels/${CHANNEL}/messages` },
      {
        status: 429,
        message: 'You are being rate limited.',
        headers: { 'retry-after': '0.05', 'x-ratelimit-scope': 'user' },
      },
    );
    const channel = client.channels.cache.get(CHANNEL);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const sent = await channel.send('posted');
    const posts = discord.calls.filter(
      (c) => c.method === 'POST' && c.path === `/channels/${CHANNEL}/messages`,
    );
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(discord.messages.get(sent.id)?.content).toBe('posted');
  });

  it('answers beyond the channel budget with 429 that discord.js waits out', async () => {
    const { discord, client } = await boot({ channelRateLimit: { limit: 2, windowMs: 500 } });
    const channel = client.channels.cache.get(CHANNEL);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const first = await channel.send('one');
    await channel.send('two');
    await first.edit('one, edited');
    expect(discord.rateLimited).toBe(1);
    const limited = discord.calls.find((c) => c.status === 429);
    expect(limited).toMatchObject({ method: 'PATCH', route: '/channels/:channel/messages/:message' });
    expect(discord.messages.get(first.id)?.content).toBe('one, edited');
  });

  it('answers bot-token calls past the bot-wide limit with a global 429; interaction routes are exempt', async () => {
    let now = 1_000_000;
    const { discord } = await boot({ globalRateLimit: { limit: 3, windowMs: 1_000 }, now: () => now });
    now += 5_000; // a fresh window after logging in
    const post = (path: string, body: unknown, auth = true) =>
      fetch(`${discord.restApi}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(auth ? { authorization: `Bot ${discord.token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await post(`/channels/${CHANNEL}/messages`, { content: `m${i}` })).status);
    const over = await post(`/channels/${CHANNEL}/messages`, { content: 'one too many' });
    expect([...statuses, over.status]).toEqual([200, 200, 200, 429]);
    expect(over.headers.get('x-ratelimit-global')).toBe('true');
    expect(over.headers.get('x-ratelimit-scope')).toBe('global');
    expect(((await over.json()) as { global: boolean }).global).toBe(true);
    expect(discord.rateLimited).toBe(1);
    // An interaction's callback is sent without the bot token: Discord does not count it.
    const handle = discord.command({ name: 'imagine', user: alice, guildId: GUILD, channelId: CHANNEL });
    const callback = await post(`/interactions/${handle.id}/${handle.token}/callback`, { type: 5 }, false);
    expect(callback.status).toBe(204);
    now += 1_000; // the next window
    expect((await post(`/channels/${CHANNEL}/messages`, { content: 'later' })).status).toBe(200);
  });

  it('answers a second callback for the same interaction with 40060', async () => {
    const { discord, client } = await boot();
    const error = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.reply('first');
      const body = { type: 4, data: { content: 'second' } };
      return client.rest.post(Routes.interactionCallback(i.id, i.token), { body, auth: false }).then(
        () => null,
        (e: unknown) => e,
      );
    });
    const handle = discord.command({ name: 'twice', user: alice, guildId: GUILD });
    const rejection = await error;
    expect(rejection).toBeInstanceOf(DiscordAPIError);
    expect((rejection as DiscordAPIError).code).toBe(40060);
    expect((await handle.message()).content).toBe('first');
  });

  it('delivers a DM from a user to messageCreate', async () => {
    const { discord, client } = await boot();
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;
    const sent = await discord.userMessage({ user: alice, content: 'hi bot' });
    const [message] = await received;
    expect(message).toMatchObject({ id: sent.id, content: 'hi bot' });
    expect(message.author.id).toBe(alice.id);
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.channelId).toBe(discord.dmChannelFor(alice.id));
  });

  it('resumes after a dropped gateway and replays events sent meanwhile', async () => {
    const { discord, client } = await boot();
    const resumed = once(client, Events.ShardResume);
    discord.disconnectGateway();
    const handled = nextInteraction(client, async (i) =>
      i.isChatInputCommand() ? i.reply('back') : undefined,
    );
    const handle = discord.command({ name: 'ping', user: alice, guildId: GUILD });
    await resumed;
    await handled;
    expect((await handle.message()).content).toBe('back');
  });

  it('answers 401 to a wrong bot token and 404 to unknown routes, recording both', async () => {
    const { discord } = await boot();
    const wrong = await fetch(`${discord.restApi}/v10/users/@me`, { headers: { authorization: 'Bot nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ code: 0, message: '401: Unauthorized' });
    const unknown = await fetch(`${discord.restApi}/v10/guilds/${GUILD}/bans`, {
      headers: { authorization: `Bot ${discord.token}` },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ code: 0, message: '404: Not Found' });
    const call = await discord.waitForCall((c) => c.path === `/guilds/${GUILD}/bans`);
    expect(call).toMatchObject({ route: 'unknown', status: 404, auth: 'bot' });
  });
});
