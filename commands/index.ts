import { blend } from './blend.js';
import { blendImages } from './blendImages.js';
import { describe } from './describe.js';
import { describeImage } from './describeImage.js';
import { help } from './help.js';
import { imagine } from './imagine.js';
import { imagineFromImage } from './imagineFromImage.js';
import { info } from './info.js';
import { localizeNames } from './localize.js';
import { mjAdmin } from './mj-admin.js';
import { settings } from './settings.js';
import { shorten } from './shorten.js';
import { show } from './show.js';
import type { Command, MessageCommand } from './types.js';

export type { Command, MessageCommand } from './types.js';

/** Every slash command, keyed by name. */
export function loadCommands(
  list: Command[] = [imagine, blend, describe, shorten, show, settings, info, help, mjAdmin],
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

/** Every message context menu command (Apps menu of a message), keyed by name; zh-CN names in their definitions. */
export function loadMessageCommands(
  list: MessageCommand[] = [describeImage, imagineFromImage, blendImages],
): Map<string, MessageCommand> {
  const map = new Map<string, MessageCommand>();
  for (const command of list) {
    const name = command?.data?.name;
    if (!name || typeof command.execute !== 'function' || typeof command.spends !== 'boolean') {
      throw new Error(`invalid message command module: ${JSON.stringify(name)}`);
    }
    if (!command.data.name_localizations?.['zh-CN'])
      throw new Error(`message command without a zh-CN name: ${name}`);
    if (map.has(name)) throw new Error(`duplicate message command: ${name}`);
    map.set(name, command);
  }
  return map;
}
