import { ApplicationCommandOptionType, type Attachment } from 'discord.js';
import { deferJobReply, startJob } from '../src/interactions/startJob.js';
import { checkAttachmentSizes, checkPrompt, readImages } from '../src/interactions/userInput.js';
import { withSuffix } from '../src/jobs/promptSuffix.js';
import { BOT_OPTION, MODE_OPTION, modeAndBot } from './options.js';
import { type Command, EVERYWHERE } from './types.js';

const IMAGE_OPTIONS = ['image', 'image2', 'image3'] as const;

export const imagine: Command = {
  spends: true,
  data: {
    name: 'imagine',
    description: 'Create images from a prompt',
    description_localizations: { 'zh-CN': '根据提示词生成图片' },
    ...EVERYWHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'prompt',
        description: 'What to imagine (Midjourney parameters like --ar 3:2 welcome)',
        description_localizations: { 'zh-CN': '想要生成的内容（可带 --ar 3:2 等参数）' },
        required: true,
        max_length: 6000,
      },
      ...IMAGE_OPTIONS.map((name, i) => ({
        type: ApplicationCommandOptionType.Attachment as const,
        name,
        description: i === 0 ? 'An image prompt' : 'Another image prompt',
        description_localizations: { 'zh-CN': i === 0 ? '参考图（图片提示）' : '另一张参考图' },
        required: false,
      })),
      MODE_OPTION,
      BOT_OPTION,
    ],
  },

  async execute(ctx, interaction) {
    // The user's suffix (/settings) goes after what they typed; parameters they typed win over it.
    // Read once: the suffix, then whether the reply is private, then the mode and bot.
    const prefs = await ctx.prefs.get(interaction.user.id);
    const prompt = checkPrompt(ctx, withSuffix(interaction.options.getString('prompt', true), prefs.suffix));
    const attachments = IMAGE_OPTIONS.map((n) => interaction.options.getAttachment(n)).filter(
      (a): a is Attachment => a !== null,
    );
    checkAttachmentSizes(ctx, attachments);
    await deferJobReply(ctx, interaction, prefs);
    const base64Array = await readImages(ctx, attachments);
    const { mode, botType } = await modeAndBot(ctx, interaction, prefs);
    // Retry downloads the image prompts again from Discord, so their URLs are kept with the job.
    const imageUrls = attachments.map((a) => a.url);
    await startJob(
      ctx,
      interaction,
      {
        request: { kind: 'imagine', mode, botType, prompt, imageUrls },
        prompt,
        botType,
        imageCount: base64Array.length,
      },
      base64Array,
    );
  },
};
