import { ApplicationCommandOptionType } from 'discord.js';
import { deferJobReply, startJob } from '../src/interactions/startJob.js';
import { UserError } from '../src/interactions/userError.js';
import { checkAttachmentSizes, readImages } from '../src/interactions/userInput.js';
import type { BlendDimensions } from '../src/upstream/types.js';
import { attachmentsOf, BOT_OPTION, imageOption, MODE_OPTION, modeAndBot } from './options.js';
import { type Command, EVERYWHERE } from './types.js';

const IMAGE_OPTIONS = ['image1', 'image2', 'image3', 'image4', 'image5'] as const;
const DIMENSIONS: readonly BlendDimensions[] = ['SQUARE', 'PORTRAIT', 'LANDSCAPE'];

/** `/blend image1 image2 [image3…5] [dimensions] [mode] [bot]`: blends 2–5 images into one grid. */
export const blend: Command = {
  spends: true,
  data: {
    name: 'blend',
    description: 'Blend 2 to 5 images into new ones',
    description_localizations: { 'zh-CN': '把 2 到 5 张图片融合成新图' },
    ...EVERYWHERE,
    options: [
      ...IMAGE_OPTIONS.map((name, i) => imageOption(name, `Image ${i + 1}`, `第 ${i + 1} 张图片`, i < 2)),
      {
        type: ApplicationCommandOptionType.String,
        name: 'dimensions',
        description: 'Aspect ratio of the result (default Square)',
        description_localizations: { 'zh-CN': '结果的宽高比（默认正方形）' },
        required: false,
        choices: [
          { name: 'Square (1:1)', name_localizations: { 'zh-CN': '正方形 (1:1)' }, value: 'SQUARE' },
          { name: 'Portrait (2:3)', name_localizations: { 'zh-CN': '竖版 (2:3)' }, value: 'PORTRAIT' },
          { name: 'Landscape (3:2)', name_localizations: { 'zh-CN': '横版 (3:2)' }, value: 'LANDSCAPE' },
        ],
      },
      MODE_OPTION,
      BOT_OPTION,
    ],
  },

  async execute(ctx, interaction) {
    const attachments = attachmentsOf(interaction, IMAGE_OPTIONS);
    // Discord enforces the two required options; a client that does not is told plainly.
    if (attachments.length < 2) throw new UserError('blend.tooFew');
    checkAttachmentSizes(ctx, attachments);
    const chosen = interaction.options.getString('dimensions');
    const dimensions = DIMENSIONS.find((d) => d === chosen) ?? 'SQUARE';
    await deferJobReply(ctx, interaction);
    const base64Array = await readImages(ctx, attachments);
    const { mode, botType } = await modeAndBot(ctx, interaction);
    const imageUrls = attachments.map((a) => a.url);
    await startJob(
      ctx,
      interaction,
      {
        request: { kind: 'blend', mode, botType, imageUrls, dimensions },
        prompt: '',
        botType,
        imageCount: base64Array.length,
      },
      base64Array,
    );
  },
};
