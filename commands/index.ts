import { blend } from './blend.js';
import { describe } from './describe.js';
import { help } from './help.js';
import { imagine } from './imagine.js';
import { info } from './info.js';
import { localizeNames } from './localize.js';
import { mjAdmin } from './mj-admin.js';
import { settings } from './settings.js';
import { shorten } from './shorten.js';
import type { Command } from './types.js';

export type { Command } from './types.js';

/** Every slash command, keyed by name. */
export function loadCommands(
  list: Command[] = [imagine, blend, describe, shorten, settings, info, help, mjAdmin],
): Map<string, Command> {
  const map = new Map<string, Command>();
  for (const command of list) {
    if (
      !command?.data?.name ||
      typeof command.execute !== 'function' ||
      typeof command.spends !== 'boolean'
    ) {
      throw new Error(`invalid command module: ${JSON.stringify(command?.data?.name)}`);
    }
    if (map.has(command.data.name)) throw new Error(`duplicate command: ${command.data.name}`);
    map.set(command.data.name, localizeNames(command));
  }
  return map;
}
