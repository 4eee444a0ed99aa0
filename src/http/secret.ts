import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Config, ConfigError } from '../config.js';

const VALID = /^[A-Za-z0-9_-]{16,128}$/;

/** Where a generated callback secret is kept: next to the SQLite store, readable by the bot only. */
export function secretFileOf(storePath: string): string | null {
  return storePath === ':memory:' ? null : join(dirname(storePath), 'callback-secret');
}

/**
 * The config with its callback secret filled in. With callbacks on (PUBLIC_URL) and no CALLBACK_SECRET, a secret
 * is generated once and stored, so callback URLs of tasks submitted before a restart keep working. Call it before
 * the logger is made, so the secret is scrubbed from every log line like the other secrets.
 */
export function withCallbackSecret(config: Config): Config {
  if (!config.publicUrl || config.callbackSecret) return config;
  const file = secretFileOf(config.storePath);
  let secret: string | null = null;
  if (file) {
    try {
      const stored = readFileSync(file, 'utf8').trim();
      if (VALID.test(stored)) secret = stored;
    } catch {
      // not generated yet
    }
  }
  if (!secret) {
    secret = randomBytes(24).toString('base64url');
    if (file) {
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${secret}\n`, { mode: 0o600 });
        chmodSync(file, 0o600);
      } catch (err) {
        throw new ConfigError(
          `The bot cannot start: PUBLIC_URL is set without CALLBACK_SECRET, and a generated secret could not be stored at ${file} (${(err as Error).message}). Set CALLBACK_SECRET (16+ characters of A-Z a-z 0-9 _ -) or make that folder writable.`,
        );
      }
    }
  }
  return Object.freeze({ ...config, callbackSecret: secret });
}
