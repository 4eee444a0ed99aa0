import { MessageFlags } from 'discord.js';
import { LIMITS } from '../src/constants.js';
import { t } from '../src/i18n/index.js';
import { requesterOf } from '../src/interactions/policy.js';
import { relativeTime } from '../src/interactions/refusals.js';
import type { Job } from '../src/jobs/types.js';
import { statusSuffix } from '../src/render/content.js';
import { messageUrl } from '../src/render/links.js';
import { inlinePrompt, truncate } from '../src/render/text.js';
import { type Command, EVERYWHERE } from './types.js';

/** Jobs listed per section; more are counted in the heading only. */
const MAX_LISTED = 10;

function jobLink(job: Job): string {
  const prompt = truncate(inlinePrompt(job.prompt), 60) || job.kind;
  const url = job.message.gone ? null : messageUrl(job.message);
  return url ? `[${prompt.replace(/[[\]]/g, '')}](${url})` : prompt;
}

/** `/info`: the user's running and queued jobs, today's usage and quota, their current mode and bot. */
export const info: Command = {
  spends: false,
  data: {
    name: 'info',
    name_localizations: { 'zh-CN': '信息' },
    description: 'Your running and waiting jobs, usage today and your mode',
    description_localizations: { 'zh-CN': '你进行中和排队的任务、今日用量和当前模式' },
    ...EVERYWHERE,
  },

  async execute(ctx, interaction) {
    const locale = interaction.locale;
    const userId = interaction.user.id;
    const [prefs, usage, active] = await Promise.all([
      ctx.prefs.get(userId),
      ctx.queue.usage(requesterOf(interaction)),
      ctx.store.activeJobs(),
    ]);
    const mine = active.filter((j) => j.ownerId === userId);
    const running = mine.filter((j) => j.phase !== 'queued');
    const queued = mine.filter((j) => j.phase === 'queued');
    const mode = t(locale, `mode.${prefs.mode ?? ctx.config.mjMode}`);
    const bot = t(locale, prefs.botType === 'NIJI_JOURNEY' ? 'bot.niji' : 'bot.mj');
    const quotaLine =
      usage.left !== null
        ? t(locale, 'info.usage', {
            used: usage.used,
            quota: usage.quota,
            left: usage.left,
            renew: relativeTime(usage.renewsAt),
          })
        : usage.quota > 0
          ? t(locale, 'info.usageExempt', { used: usage.used })
          : t(locale, 'info.usageUnlimited', { used: usage.used });
    const lines = [`**${t(locale, 'info.title')}**`, t(locale, 'info.mode', { mode, bot }), quotaLine, ''];
    if (running.length > 0) {
      lines.push(t(locale, 'info.running', { count: running.length }));
      for (const job of running.slice(0, MAX_LISTED)) {
        const status = statusSuffix({ ...job, locale }, false).replace(/[()]/g, '');
        lines.push(`• ${t(locale, 'info.jobRunning', { prompt: jobLink(job), status })}`);
      }
    }
    if (queued.length > 0) {
      lines.push(t(locale, 'info.queued', { count: queued.length }));
      for (const job of queued.slice(0, MAX_LISTED)) {
        const position = job.waitingPosition ?? 1;
        lines.push(`• ${t(locale, 'info.jobQueued', { prompt: jobLink(job), position })}`);
      }
    }
    if (mine.length === 0) lines.push(t(locale, 'info.none'));
    await interaction.reply({
      content: truncate(lines.join('\n'), LIMITS.content),
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },
};
