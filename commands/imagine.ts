import { ApplicationCommandOptionType, type Attachment } from 'discord.js';
import { checkAttachmentSizes, checkPrompt, readImages } from '../src/discord/intake.js';
import { startJob } from '../src/discord/startJob.js';
import { type Command, EVERYWHERE } from './types.js';

const IMAGE_OPTIONS = ['image', 'image2', 'image3'] as const;

export const imagine: Command = {
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
    ],
  },

  async execute(ctx, interaction) {
    const prompt = checkPrompt(ctx, interaction.options.getString('prompt', true));
    const attachments = IMAGE_OPTIONS.map((n) => interaction.options.getAttachment(n)).filter(
      (a): a is Attachment => a !== null,
    );
    checkAttachmentSizes(ctx, attachments);
    await interaction.deferReply();
    const base64Array = await readImages(ctx, attachments);
    const mode = ctx.config.mjMode;
    await startJob(ctx, interaction, { kind: 'imagine', prompt, mode, imageCount: base64Array.length }, () =>
      ctx.upstream.imagine({ prompt, mode, ...(base64Array.length > 0 ? { base64Array } : {}) }),
    );
  },
};
