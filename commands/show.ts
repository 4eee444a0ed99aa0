import { ApplicationCommandOptionType } from 'discord.js';
import { showJob, suggestJobs } from '../src/interactions/handlers/show.js';
import { type Command, EVERYWHERE } from './types.js';

/** `/show job:<id or message link>`: posts a past job again, with its result and working buttons. */
export const show: Command = {
  spends: false,
  data: {
    name: 'show',
    name_localizations: { 'zh-CN': '显示' },
    description: 'Post one of your past jobs again, with its result and buttons',
    description_localizations: { 'zh-CN': '重新发布你过去的任务，带结果和按钮' },
    ...EVERYWHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'job',
        name_localizations: { 'zh-CN': '任务' },
        description: 'Job id (footer of a job message), a link to its message, or pick a recent one',
        description_localizations: { 'zh-CN': '任务 ID（任务消息底部）、任务消息链接，或选择最近的任务' },
        required: true,
        autocomplete: true,
        max_length: 200,
      },
    ],
  },
  execute: (ctx, interaction) => showJob(ctx, interaction),
  autocomplete: (ctx, interaction) => suggestJobs(ctx, interaction),
};
