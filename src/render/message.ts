import type { APIEmbed } from 'discord-api-types/v10';
import { COLORS, keycap, LIMITS } from '../constants.js';
import { type MessageKey, t } from '../i18n/index.js';
import { parseDescribePrompts, parseShorten } from '../jobs/results.js';
import { FINAL_PHASES, type Job } from '../jobs/types.js';
import {
  type ButtonRow,
  describeRows,
  editPromptRows,
  offersCheck,
  retryRows,
  shortenRows,
  upstreamRows,
  withControls,
} from './components.js';
import { contentLine } from './content.js';
import { blockQuote, neutraliseMentions, truncate } from './text.js';

export { imageFileName } from './text.js';

/** How the publisher will deliver the message. */
export interface RenderOptions {
  /** File name of the final image when the publisher attaches it; the embed then shows `attachment://<name>`. */
  attachmentName?: string | null;
}

/** A job's message as plain Discord API JSON. */
export interface RenderedMessage {
  content: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** The image the message should show (preview or final), for the publisher to attach or link. */
  imageUrl: string | null;
  final: boolean;
}

type Body = Omit<RenderedMessage, 'final'>;

/** Longest upstream failure text quoted in the content. */
const DETAIL_MAX = 1000;

const footer = (job: Job): APIEmbed['footer'] => ({
  text: truncate(t(job.locale, 'embed.footer', { id: job.taskId ?? job.id }), LIMITS.embedFooter),
});

function imageRef(url: string | null, options: RenderOptions): string | null {
  return options.attachmentName ? `attachment://${options.attachmentName}` : url;
}

/** The bold part of the content line: the prompt, or the command's name for describe (whose input is an image). */
function promptOf(job: Job): string {
  if (job.kind === 'describe' || job.task?.action?.toUpperCase() === 'DESCRIBE')
    return t(job.locale, 'describe.title');
  if (job.prompt.trim()) return job.prompt;
  // Only a blend (and what grows from it) has no prompt of its own.
  return t(job.locale, job.kind === 'shorten' ? 'shorten.title' : 'blend.title');
}

function lines(job: Job): string[] {
  return job.parentMessageUrl ? [t(job.locale, 'child.parentLink', { url: job.parentMessageUrl })] : [];
}

function renderRunning(job: Job): Body {
  const preview = job.phase === 'tracking' ? (job.task?.imageUrl ?? null) : null;
  const extra = job.phase === 'modal' ? [...lines(job), t(job.locale, 'paused.hint')] : lines(job);
  return {
    content: contentLine(job, promptOf(job), extra),
    embeds: preview ? [{ color: COLORS.running, image: { url: preview } }] : [],
    components: job.phase === 'modal' ? editPromptRows(job) : [],
    imageUrl: preview,
  };
}

/** Upstream failure reasons worth their own explanation (the reason itself is still quoted). */
const KNOWN_REASONS: ReadonlyArray<[RegExp, MessageKey]> = [
  [/banned prompt|moderat|community standards|敏感词|违规/i, 'failure.moderated'],
  [/超时|timed? ?out|timeout/i, 'failure.upstreamTimeout'],
];

/** A button press the upstream (or the aggregator in front of it) does not take. */
const UNSUPPORTED_ACTION = /unknown_action|未知的 ?Action ?类型/i;

function knownReason(reason: string): MessageKey | null {
  return KNOWN_REASONS.find(([re]) => re.test(reason))?.[1] ?? null;
}

function renderFailure(job: Job): Body {
  const kind = job.failure?.kind ?? 'upstream_failure';
  const given = job.failure?.detail ?? (kind === 'upstream_failure' ? job.task?.failReason : null);
  const detail = given?.trim() && kind !== 'auth' && kind !== 'banned' ? given.trim() : null;
  let why = t(job.locale, `failure.${kind}`);
  const known = kind === 'upstream_failure' && detail ? knownReason(detail) : null;
  if (known) why = t(job.locale, known);
  if (kind === 'rejected' && detail && UNSUPPORTED_ACTION.test(detail))
    why = t(job.locale, 'failure.unsupportedAction');
  if (kind === 'banned') {
    const word = given?.trim();
    why = word
      ? t(job.locale, 'failure.banned', { word: neutraliseMentions(truncate(word, 100)) })
      : t(job.locale, 'failure.banned_generic');
  }
  // The upstream text is quoted as given (capped so the prompt keeps most of the content's room).
  const quoted = detail ? [blockQuote(neutraliseMentions(truncate(detail, DETAIL_MAX)))] : [];
  if (offersCheck(job, kind)) quoted.push(t(job.locale, 'failure.checkHint'));
  const title = kind === 'cancelled' ? 'cancelled.title' : 'failure.title';
  const embed: APIEmbed = {
    color: COLORS.failure,
    title: truncate(t(job.locale, title), LIMITS.embedTitle),
    footer: footer(job),
  };
  return {
    content: contentLine(job, promptOf(job), [...lines(job), why, ...quoted]),
    embeds: [embed],
    components: retryRows(job, kind),
    imageUrl: null,
  };
}

function renderDescribe(job: Job, options: RenderOptions): Body {
  const text = job.task?.finalPrompt || job.task?.promptEn || '';
  const prompts = parseDescribePrompts(text);
  const numbered = prompts.map((p, i) => `${keycap(i + 1)} ${p}`).join('\n\n');
  const image = imageRef(job.task?.imageUrl ?? null, options);
  const embed: APIEmbed = {
    color: COLORS.success,
    description: truncate(numbered || text || t(job.locale, 'describe.empty'), LIMITS.embedDescription),
    ...(image ? { image: { url: image } } : {}),
    footer: { text: t(job.locale, 'describe.hint') },
  };
  return {
    content: contentLine(job, promptOf(job), lines(job)),
    embeds: [embed],
    components: describeRows(job, prompts.length),
    imageUrl: job.task?.imageUrl ?? null,
  };
}

function renderShorten(job: Job): Body {
  const candidates = [job.task?.finalPrompt, job.task?.description].filter((s): s is string => !!s);
  const parsed = candidates.map(parseShorten);
  const result = parsed.find((r) => r.prompts.length > 0) ?? parsed[0] ?? { tokens: '', prompts: [] };
  const numbered = result.prompts.map((p, i) => `${keycap(i + 1)} ${p}`).join('\n\n');
  const sections = [
    result.tokens ? `**${t(job.locale, 'shorten.tokens')}**\n${result.tokens}` : '',
    `**${t(job.locale, 'shorten.prompts')}**\n${numbered || t(job.locale, 'shorten.empty')}`,
  ];
  const embed: APIEmbed = {
    color: COLORS.success,
    title: truncate(t(job.locale, 'shorten.title'), LIMITS.embedTitle),
    description: truncate(sections.filter(Boolean).join('\n\n'), LIMITS.embedDescription),
  };
  return {
    content: contentLine(job, promptOf(job), lines(job)),
    embeds: [embed],
    components: shortenRows(job, result.prompts.length),
    imageUrl: null,
  };
}

function renderImage(job: Job, options: RenderOptions): Body {
  const url = job.task?.imageUrl ?? null;
  const image = imageRef(url, options);
  return {
    content: contentLine(job, promptOf(job), lines(job)),
    embeds: image ? [{ color: COLORS.success, image: { url: image }, footer: footer(job) }] : [],
    components: upstreamRows(job),
    imageUrl: url,
  };
}

function body(job: Job, options: RenderOptions): Body {
  if (job.phase === 'failed') return renderFailure(job);
  if (job.phase !== 'succeeded') return renderRunning(job);
  const action = job.task?.action?.toUpperCase();
  if (job.kind === 'describe' || action === 'DESCRIBE') return renderDescribe(job, options);
  if (job.kind === 'shorten' || action === 'SHORTEN') return renderShorten(job);
  return renderImage(job, options);
}

/**
 * Renders a job as its Discord message (plain API JSON), like the official bot: progress in the content line,
 * preview or final image in an embed, the task's buttons (or the bot's own) as components. Pure.
 */
export function renderJob(job: Job, options: RenderOptions = {}): RenderedMessage {
  const rendered = body(job, options);
  return {
    ...rendered,
    components: withControls(job, rendered.components),
    final: FINAL_PHASES.has(job.phase),
  };
}
