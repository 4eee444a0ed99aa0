import { isDeepStrictEqual } from 'node:util';
import { type REST, type RESTPostAPIApplicationCommandsJSONBody, Routes } from 'discord.js';
import type { Logger } from '../log.js';

/**
 * Every field Discord stores of a definition, so a change to any of them is written, while Discord's own
 * additions (ids, versions, defaults) do not count as changes.
 */
const FIELDS = [
  'type',
  'name',
  'description',
  'options',
  'contexts',
  'integration_types',
  'name_localizations',
  'description_localizations',
  'default_member_permissions',
  'nsfw',
] as const;

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null && !(typeof v === 'boolean' && v === false))
      .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
      .filter(
        ([, v]) => !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0),
      )
      .map(([k, v]) => [k, normalise(v)] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries);
  }
  return value;
}

/** Discord's defaults filled in and its string form of permissions, so equal definitions compare equal. */
function comparable(command: Record<string, unknown>) {
  const perms = command.default_member_permissions;
  const filled = {
    ...command,
    type: command.type ?? 1,
    description: command.description ?? '', // context-menu commands: Discord stores ''
    default_member_permissions: perms === null || perms === undefined ? null : String(perms),
  };
  return normalise(Object.fromEntries(FIELDS.map((f) => [f, (filled as Record<string, unknown>)[f]])));
}

/**
 * Registers the slash commands (in one guild when `guildId` is set, else globally), writing only when the
 * definitions differ from what Discord has. Returns whether it wrote.
 */
export async function syncCommands(options: {
  rest: REST;
  applicationId: string;
  guildId: string | null;
  commands: RESTPostAPIApplicationCommandsJSONBody[];
  logger: Logger;
}): Promise<boolean> {
  const { rest, applicationId, guildId, commands, logger } = options;
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  // Discord leaves the localization maps out unless asked: without them every start would look like a change.
  const query = new URLSearchParams({ with_localizations: 'true' });
  const current = (await rest.get(route, { query })) as Record<string, unknown>[];
  const byName = (list: Record<string, unknown>[]) =>
    list
      .map(comparable)
      .sort((a, b) => String((a as { name: string }).name).localeCompare((b as { name: string }).name));
  if (isDeepStrictEqual(byName(current), byName(commands as unknown as Record<string, unknown>[]))) {
    logger.info({ scope: guildId ?? 'global', count: commands.length }, 'slash commands up to date');
    return false;
  }
  await rest.put(route, { body: commands });
  logger.info({ scope: guildId ?? 'global', count: commands.length }, 'slash commands registered');
  return true;
}
