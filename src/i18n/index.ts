import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey } from './en.js';

/** The locales the bot has catalogues for. */
export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

const CATALOGUES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { en, 'zh-CN': zhCN };

/** Maps a Discord locale to a catalogue: any Chinese (zh, zh-CN, zh-TW…) → 'zh-CN'; everything else → 'en'. */
export function resolveLocale(locale: string | null | undefined): Locale {
  return locale && /^zh(?:$|[-_])/i.test(locale.trim()) ? 'zh-CN' : 'en';
}

/** The message `key` in the user's language, with `{name}` replaced by `vars.name` (unknown names left as is). */
export function t(
  locale: string | null | undefined,
  key: MessageKey,
  vars?: Record<string, string | number>,
): string {
  const template = CATALOGUES[resolveLocale(locale)][key] ?? en[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}
