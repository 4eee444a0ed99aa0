import { ApplicationCommandType } from 'discord.js';
import { imagesOrRefuse } from '../src/interactions/handlers/messageImages.js';
import { deferJobReply, startJob } from '../src/interactions/startJob.js';
import { checkAttachmentSizes, readImages } from '../src/interactions/userInput.js';
import { modeAndBot } from './options.js';
import { EVERYWHERE, type MessageCommand } from './types.js';

/** Apps menu → "Describe image": four prompts for the message's first image, like /describe. */
export const describeImage: MessageCommand = {
  spends: true,
  data: {
    type: ApplicationCommandType.Message,
    name: 'Describe image',
    name_localizations: { 'zh-CN': '描述图片' },
    ...EVERYWHERE,
  },

  async execute(ctx, interaction) {
    const [image] = imagesOrRefuse(interaction.targetMessage);
    if (!image) return;
    checkAttachmentSizes(ctx, [image]);
    await deferJobReply(ctx, interaction);
    const [base64] = await readImages(ctx, [image]);
    const { mode, botType } = await modeAndBot(ctx, interaction);
    await startJob(
      ctx,
      interaction,
      {
        request: { kind: 'describe', mode, botType, source: { imageUrl: image.url } },
        prompt: '',
        botType,
        imageCount: 1,
      },
      base64 ? [base64] : [],
    );
  },
};
