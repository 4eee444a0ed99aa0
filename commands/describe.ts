import { ApplicationCommandOptionType } from 'discord.js';
import { deferJobReply, startJob } from '../src/interactions/startJob.js';
import { checkImageUrl, readUrlImage } from '../src/interactions/urlInput.js';
import { UserError } from '../src/interactions/userError.js';
import { checkAttachmentSizes, readImages } from '../src/interactions/userInput.js';
import { BOT_OPTION, imageOption, MODE_OPTION, modeAndBot } from './options.js';
import { type Command, EVERYWHERE } from './types.js';

/** `/describe [image] [url] [mode] [bot]`: four prompts for an image; exactly one of image and url. */
export const describe: Command = {
  spends: true,
  data: {
    name: 'describe',
    description: 'Get four prompts that describe an image',
    description_localizations: { 'zh-CN': '为一张图片生成四条描述提示词' },
    ...EVERYWHERE,
    options: [
      imageOption('image', 'The image to describe', '要描述的图片'),
      {
        type: ApplicationCommandOptionType.String,
        name: 'url',
        description: 'Or the http(s) address of the image',
        description_localizations: { 'zh-CN': '或图片的 http(s) 链接' },
        required: false,
        max_length: 2000,
      },
      MODE_OPTION,
      BOT_OPTION,
    ],
  },

  async execute(ctx, interaction) {
    const image = interaction.options.getAttachment('image');
    const rawUrl = interaction.options.getString('url');
    if ((image === null) === (rawUrl === null || rawUrl.trim() === ''))
      throw new UserError('describe.oneSource');
    const link = image ? null : checkImageUrl(rawUrl ?? '');
    if (image) checkAttachmentSizes(ctx, [image]);
    await deferJobReply(ctx, interaction);
    const [base64] = image
      ? await readImages(ctx, [image])
      : [await readUrlImage(ctx, link ?? '', { userId: interaction.user.id })];
    if (!base64) throw new UserError('describe.oneSource');
    const { mode, botType } = await modeAndBot(ctx, interaction);
    const source = image ? { imageUrl: image.url } : { link: link ?? '' };
    await startJob(
      ctx,
      interaction,
      { request: { kind: 'describe', mode, botType, source }, prompt: '', botType, imageCount: 1 },
      [base64],
    );
  },
};
