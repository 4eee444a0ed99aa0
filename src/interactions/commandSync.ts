import { isDeepStrictEqual } from 'node:util';
import { type REST, type RESTPostAPIApplicationCommandsJSONBody, Routes } from 'discord.js';
import type { Logger } from '../log.js';

/** The fields we define, so Discord's own additions (ids, versions, defaults) do not count as changes. */
const FIELDS = [
  'name',
  'description',
  'options',
  'contexts',
  'integration_types',
  'name_localizations',
  'description_localizations',
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

function comparable(command: Record<string, unknown>) {
  return normalise(Object.fromEntries(FIELDS.map((f) => [f, command[f]])));
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
  const current = (await rest.get(route)) as Record<string, unknown>[];
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
