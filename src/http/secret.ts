import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Config, ConfigError } from '../config.js';
import { connectWithin, redisClientOf, redisKey } from '../jobs/redisBackend.js';
import { redactUrl, redisStoreErrorOf } from '../jobs/storeError.js';

const VALID = /^[A-Za-z0-9_-]{16,128}$/;

/** Where a generated callback secret is kept: next to the SQLite store, readable by the bot only. */
export function secretFileOf(storePath: string): string | null {
  return storePath === ':memory:' || storePath === ':redis:'
    ? null
    : join(dirname(storePath), 'callback-secret');
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

/**
 * On a Redis store, every process must put the same secret in its callback URLs: the first process to start
 * generates it and stores it in Redis (`SET NX`), the others read it. Call before `withCallbackSecret`.
 * @throws StoreError naming STORE_URL when Redis cannot be reached.
 */
export async function withSharedCallbackSecret(config: Config): Promise<Config> {
  if (!config.publicUrl || config.callbackSecret || config.storePath !== ':redis:') return config;
  const redis = redisClientOf(config.storeUrl);
  redis.on('error', () => undefined); // connectWithin reports the first error; the client is closed right after
  try {
    await connectWithin(redis, 5_000);
    const key = redisKey('callback-secret');
    const fresh = JSON.stringify({ value: randomBytes(24).toString('base64url'), expires: null });
    await redis.set(key, fresh, { condition: 'NX' });
    const stored = JSON.parse((await redis.get(key)) ?? 'null') as { value?: unknown } | null;
    const secret = typeof stored?.value === 'string' && VALID.test(stored.value) ? stored.value : null;
    if (!secret) throw new Error(`${key} holds no valid secret: delete it, or set CALLBACK_SECRET`);
    await redis.close();
    return Object.freeze({ ...config, callbackSecret: secret });
  } catch (err) {
    if (redis.isOpen) redis.destroy();
    throw redisStoreErrorOf(err, redactUrl(config.storeUrl));
  }
}
