import { ApplicationCommandType } from 'discord.js';
import { openImagineMenu } from '../src/interactions/handlers/messageMenu.js';
import { EVERYWHERE, type MessageCommand } from './types.js';

/** Apps menu → "Imagine from image": a pop-up for the prompt; the message's images go as image prompts. */
export const imagineFromImage: MessageCommand = {
  spends: true,
  data: {
    type: ApplicationCommandType.Message,
    name: 'Imagine from image',
    name_localizations: { 'zh-CN': '以图生图' },
    ...EVERYWHERE,
  },
  execute: (ctx, interaction) => openImagineMenu(ctx, interaction),
};
