import { ApplicationCommandType } from 'discord.js';
import { openBlendMenu } from '../src/interactions/handlers/messageMenu.js';
import { EVERYWHERE, type MessageCommand } from './types.js';

/** Apps menu → "Blend images": 2–5 images of the message, a pop-up for the dimensions, like /blend. */
export const blendImages: MessageCommand = {
  spends: true,
  data: {
    type: ApplicationCommandType.Message,
    name: 'Blend images',
    name_localizations: { 'zh-CN': '混合图片' },
    ...EVERYWHERE,
  },
  execute: (ctx, interaction) => openBlendMenu(ctx, interaction),
};
