import type { Job } from '../jobs/types.js';

const ELLIPSIS = '…';

/** Cuts `text` to at most `max` UTF-16 units, ending with '…' when cut, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = max - ELLIPSIS.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, Math.max(0, cut)).trimEnd()}${ELLIPSIS}`;
}

/** Stops `@everyone`, `@here` and raw mentions in user or upstream text from pinging anyone. */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/g, '@\u200b$1').replace(/<@/g, '<@\u200b');
}

/** A prompt as shown in a message line: one line, no pings. */
export function inlinePrompt(prompt: string): string {
  return neutraliseMentions(prompt.replace(/\s+/g, ' ').trim());
}

/** Quotes text as a Discord block quote, line by line. */
export function blockQuote(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
}

const IMAGE_EXT = /\.(png|jpe?g|webp|gif)$/i;

function extensionOf(url: string | null | undefined): string {
  if (!url) return 'png';
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const ext = IMAGE_EXT.exec(path)?.[1]?.toLowerCase();
  return ext === 'jpeg' ? 'jpg' : (ext ?? 'png');
}

/** ASCII slug of a prompt without links and `--params`, at most `max` characters; '' when nothing is left. */
export function slug(prompt: string, max = 60): string {
  const words = prompt
    .replace(/<?https?:\/\/\S+/gi, ' ')
    .replace(/(^|\s)--\S.*$/s, ' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return words.slice(0, max).replace(/_+$/, '');
}

/**
 * File name for the job's final image: `<prompt slug>_<task id>.<ext>`, e.g. `a_red_fox_in_the_snow_1750000123.png`.
 * The extension follows the image URL (png, jpg, webp, gif; png when unknown).
 */
export function imageFileName(job: Job): string {
  const id = (job.taskId ?? job.id).replace(/[^A-Za-z0-9_-]/g, '');
  const name = slug(job.prompt) || 'image';
  return `${name}_${id}.${extensionOf(job.task?.imageUrl)}`;
}
