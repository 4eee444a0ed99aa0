import {
  Client,
  Events,
  GatewayIntentBits,
  Partials,
  REST,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from './config.js';
import { scrubbingRequest } from './delivery/scrubRest.js';
import { syncCommands } from './interactions/commandSync.js';
import type { Logger } from './log.js';

/**
 * The discord.js client the bot runs on (guilds and DMs), not logged in yet. Every REST request goes through
 * `scrub`: whatever upstream text a message quotes, no secret leaves in a request to Discord.
 */
export function createDiscordClient(
  config: Pick<Config, 'discordApiBase' | 'discordToken'> & Partial<Pick<Config, 'shards'>>,
  scrub: (text: string) => string,
): Client {
  const client = new Client({
    ...shardOptions(config.shards ?? null),
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    rest: {
      ...(config.discordApiBase ? { api: config.discordApiBase } : {}),
      makeRequest: scrubbingRequest(scrub),
    },
  });
  client.rest.setToken(config.discordToken);
  return client;
}

/**
 * A REST client for the writes made through an interaction's token (`@original` edits, follow-ups): Discord does
 * not count those against the bot-wide limit of 50 requests a second, so they do not go through the bot client's
 * own counter of it either (discord.js counts every request of a client). Their per-route limits still hold:
 * discord.js keeps those per token, and the publisher's per-channel budget is stricter. Secrets scrubbed alike.
 */
export function createTokenRest(
  config: Pick<Config, 'discordApiBase'>,
  scrub: (text: string) => string,
): REST {
  return new REST({
    ...(config.discordApiBase ? { api: config.discordApiBase } : {}),
    globalRequestsPerSecond: TOKEN_ROUTES_PER_SECOND,
    makeRequest: scrubbingRequest(scrub),
  });
}

/** No bot-wide cap for interaction-token routes (Discord has none); high enough never to be the bound. */
const TOKEN_ROUTES_PER_SECOND = 10_000;

/**
 * The shards this process connects (SHARD_COUNT, SHARD_IDS): exactly those, of that many. None given: one
 * process, or the shards discord.js's ShardingManager assigned it (it passes them in the environment).
 */
function shardOptions(shards: Config['shards']): { shards?: number[] | 'auto'; shardCount?: number } {
  if (!shards) return {};
  if (shards.count === 'auto') return { shards: 'auto' };
  const ids = shards.ids === 'all' ? Array.from({ length: shards.count }, (_, i) => i) : shards.ids;
  return { shards: ids, shardCount: shards.count };
}

/** Logs in and waits until Discord is ready, then registers the slash commands if they changed (when asked to). */
export async function connect(
  client: Client,
  config: Pick<Config, 'discordToken' | 'discordGuildId' | 'registerCommands'>,
  commands: RESTPostAPIApplicationCommandsJSONBody[],
  logger: Logger,
): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.discordToken);
  await ready;
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
  if (!config.registerCommands) return;
  await syncCommands({
    rest: client.rest,
    applicationId: client.application?.id ?? client.user?.id ?? '',
    guildId: config.discordGuildId,
    commands,
    logger,
  });
}
