import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Command } from './types.js';

/**
 * zh-CN names of commands, options and choices, by their English name (or choice value), for definitions that
 * do not carry their own. Descriptions stay in each command's file; `localizeNames` fills in names only.
 */
const ZH_NAMES: Readonly<Record<string, string>> = {
  imagine: '想象',
  blend: '混合',
  describe: '描述',
  shorten: '精简',
  prompt: '提示词',
  image: '图片',
  image1: '图片1',
  image2: '图片2',
  image3: '图片3',
  image4: '图片4',
  image5: '图片5',
  url: '链接',
  mode: '模式',
  bot: '模型',
  dimensions: '尺寸',
};
/** Choice values whose shown name is the same brand in every language. */
const ZH_CHOICES: Readonly<Record<string, string>> = { midjourney: 'Midjourney', niji: 'Niji' };

type Node = {
  name: string;
  name_localizations?: Record<string, string | null> | null;
  options?: Node[];
  choices?: Array<{
    name: string;
    value: string | number;
    name_localizations?: Record<string, string | null> | null;
  }>;
};

function localizeNode<T extends Node>(node: T): T {
  const zh = node.name_localizations?.['zh-CN'] ?? ZH_NAMES[node.name];
  return {
    ...node,
    ...(zh ? { name_localizations: { ...node.name_localizations, 'zh-CN': zh } } : {}),
    ...(node.options ? { options: node.options.map(localizeNode) } : {}),
    ...(node.choices
      ? {
          choices: node.choices.map((c) => {
            const name = c.name_localizations?.['zh-CN'] ?? ZH_CHOICES[String(c.value)];
            return name ? { ...c, name_localizations: { ...c.name_localizations, 'zh-CN': name } } : c;
          }),
        }
      : {}),
  };
}

/** The command with zh-CN names filled in where its definition has none (its own always win). */
export function localizeNames(command: Command): Command {
  const data = localizeNode(
    command.data as Node,
  ) as unknown as RESTPostAPIChatInputApplicationCommandsJSONBody;
  return { ...command, data };
}
