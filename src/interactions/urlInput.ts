import type { MessageKey } from '../i18n/index.js';
import { sniffImage } from '../media/download.js';
import { SafeFetchError, type SafeFetchFailure, safeFetch } from '../media/safeFetch.js';
import type { BotContext } from './context.js';
import { UserError } from './userError.js';

/** Image types the bot takes from a URL (declared by the server, then confirmed by the bytes). */
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
/** A user's image host gets this long for everything, redirects included. */
export const URL_TIMEOUT_MS = 15_000;

const REASONS: Record<SafeFetchFailure, MessageKey> = {
  bad_url: 'describe.badUrl',
  blocked: 'describe.urlBlocked',
  http: 'describe.urlUnreachable',
  network: 'describe.urlUnreachable',
  redirects: 'describe.urlUnreachable',
  timeout: 'describe.urlTimeout',
  not_image: 'describe.urlNotImage',
  too_large: 'describe.urlTooLarge',
};

/** Cheap check before acknowledging: an http(s) URL, or a UserError. */
export function checkImageUrl(raw: string): string {
  const url = raw.trim();
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // answered below
  }
  throw new UserError('describe.badUrl');
}

/**
 * Fetches the image at a URL a user gave (see `safeFetch`: public addresses only unless
 * `DESCRIBE_ALLOW_PRIVATE_URLS`, size limit, type check, timeout) and returns it as a data URL, or throws a
 * UserError saying what was wrong.
 */
export async function readUrlImage(
  ctx: BotContext,
  url: string,
  log: Record<string, unknown> = {},
): Promise<string> {
  const max = ctx.config.maxImageBytes;
  let data: Buffer;
  try {
    ({ data } = await safeFetch(url, {
      maxBytes: max,
      timeoutMs: URL_TIMEOUT_MS,
      clock: ctx.clock,
      allowPrivate: ctx.config.describeAllowPrivateUrls,
      contentTypes: IMAGE_TYPES,
    }));
  } catch (err) {
    const reason = err instanceof SafeFetchError ? err.reason : 'network';
    // The host is logged, never the full URL: it may carry a token of the user's.
    ctx.logger.info({ ...log, reason, host: hostOf(url) }, 'image URL refused');
    throw new UserError(REASONS[reason], { max: `${Math.round(max / 1024 / 1024)} MiB` });
  }
  const type = sniffImage(data);
  if (!type) {
    ctx.logger.info({ ...log, reason: 'not_image_bytes', host: hostOf(url) }, 'image URL refused');
    throw new UserError('describe.urlNotImage');
  }
  return `data:${type};base64,${data.toString('base64')}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
}
