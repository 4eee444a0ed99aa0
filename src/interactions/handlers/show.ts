import { type AutocompleteInteraction, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { t } from '../../i18n/index.js';
import { recentJobIds } from '../../jobs/recentJobs.js';
import type { Job } from '../../jobs/types.js';
import { renderJob } from '../../render/message.js';
import { truncate } from '../../render/text.js';
import type { BotContext } from '../context.js';
import { isServerManager } from '../policy.js';
import { UserError } from '../userError.js';

/** A link to a Discord message: `…/channels/<guild or @me>/<channel>/<message>`. */
const MESSAGE_LINK = /\/channels\/(?:\d+|@me)\/\d+\/(\d{16,20})\b/;
const SNOWFLAKE = /^\d{16,20}$/;
const JOB_ID = /^[A-Za-z0-9_-]{1,24}$/;
/** Discord shows at most 25 choices, each name at most 100 characters. */
const CHOICES = 25;
const CHOICE_NAME = 100;

/**
 * The job that `/show job:` names: a link to its message, its message id, its upstream task id (the footer of its
 * message), or its own id (what autocomplete fills in).
 * @throws UserError when the input names nothing the store knows.
 */
export async function findJob(ctx: BotContext, raw: string): Promise<Job> {
  const input = raw.trim();
  const messageId = MESSAGE_LINK.exec(input)?.[1] ?? null;
  if (!messageId && !JOB_ID.test(input)) throw new UserError('show.badInput');
  const candidates = messageId
    ? [() => ctx.store.byMessage(messageId)]
    : [
        () => ctx.store.get(input),
        ...(SNOWFLAKE.test(input) ? [() => ctx.store.byMessage(input), () => ctx.store.byTask(input)] : []),
      ];
  for (const find of candidates) {
    const job = await find();
    if (job) return job;
  }
  throw new UserError('show.gone', { id: input.slice(0, 100) });
}

/** Who may re-post a job: its requester; in its own server, someone with Manage Server. */
export function assertMayShow(interaction: ChatInputCommandInteraction, job: Job): void {
  if (job.ownerId === interaction.user.id) return;
  if (isServerManager(interaction) && job.message.guildId === interaction.guildId) return;
  throw new UserError('show.notYours', { owner: `<@${job.ownerId}>` });
}

/**
 * `/show`: the job's message posted again as a new message — the same render, with buttons that carry the same
 * job id, so they work like the original's. The job's own message ref is left as it is: progress and results
 * keep editing the original; this copy shows the job as it stands now.
 */
export async function showJob(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const job = await findJob(ctx, interaction.options.getString('job', true));
  assertMayShow(interaction, job);
  const view = renderJob(job);
  const prefs = await ctx.prefs.get(interaction.user.id);
  ctx.logger.info({ jobId: job.id, userId: interaction.user.id }, 'job shown again');
  await interaction.reply({
    content: view.content,
    embeds: view.embeds,
    components: view.components,
    allowedMentions: { parse: [] },
    ...(prefs.private ? { flags: MessageFlags.Ephemeral } : {}),
  });
}

/** What a choice calls a job: its prompt (or what it did), in the user's language. */
function choiceName(job: Job, locale: string): string {
  const what = job.prompt.trim() || t(locale, job.kind === 'describe' ? 'describe.title' : 'blend.title');
  return truncate(what.replace(/\s+/g, ' '), CHOICE_NAME);
}

/** Autocomplete of `job:`: the user's recent jobs whose prompt holds what they typed, newest first. */
export async function suggestJobs(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void> {
  try {
    const typed = interaction.options.getFocused().trim().toLowerCase();
    const ids = await recentJobIds(ctx.store.keyv, interaction.user.id);
    const jobs = (await Promise.all(ids.map((id) => ctx.store.get(id)))).filter((j): j is Job => j !== null);
    const choices = jobs
      .filter((j) => !typed || j.prompt.toLowerCase().includes(typed) || j.id.toLowerCase() === typed)
      .slice(0, CHOICES)
      .map((j) => ({ name: choiceName(j, interaction.locale), value: j.id }));
    await interaction.respond(choices);
  } catch (err) {
    ctx.logger.warn({ err, userId: interaction.user.id }, 'could not suggest recent jobs');
    await interaction.respond([]).catch(() => undefined);
  }
}
