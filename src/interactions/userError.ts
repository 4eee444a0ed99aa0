import type { MessageKey } from '../i18n/index.js';

/**
 * An expected failure the user caused or can act on (bad input, not allowed, limit reached). It carries a
 * catalogue key, not text, so the answer is given in the user's language; it is answered ephemerally.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    readonly key: MessageKey,
    readonly vars: Record<string, string | number> = {},
  ) {
    super(key);
  }
}
