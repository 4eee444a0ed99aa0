import { ApplicationCommandOptionType } from 'discord.js';
import { deferJobReply, startJob } from '../src/interactions/startJob.js';
import { checkPrompt } from '../src/interactions/userInput.js';
import { modeAndBot } from './options.js';
import { type Command, EVERYWHERE } from './types.js';

/** `/shorten prompt`: which tokens of a prompt matter, and five shorter prompts to imagine. */
export const shorten: Command = {
  spends: true,
  data: {
    name: 'shorten',
    description: 'Analyse a prompt and suggest shorter ones',
    description_localizations: { 'zh-CN': '分析提示词并给出更短的版本' },
    ...EVERYWHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'prompt',
        description: 'The prompt to analyse',
        description_localizations: { 'zh-CN': '要分析的提示词' },
        required: true,
        max_length: 6000,
      },
    ],
  },

  async execute(ctx, interaction) {
    const prompt = checkPrompt(ctx, interaction.options.getString('prompt', true));
    await deferJobReply(ctx, interaction);
    // No options here: the user's preferred mode and bot (or the bot's) apply.
    const { mode, botType } = await modeAndBot(ctx, interaction);
    await startJob(ctx, interaction, {
      request: { kind: 'shorten', mode, botType, prompt },
      prompt,
      botType,
    });
  },
};
