/** Snowflake ids and tokens. */
import { randomBytes } from 'node:crypto';

const DISCORD_EPOCH = 1420070400000n;
let last = 0n;

/** A fresh, strictly increasing numeric-string snowflake whose timestamp is the wall clock. */
export function snowflake(): string {
  const candidate = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
  last = candidate > last ? candidate : last + 1n;
  return last.toString();
}

let sequence = 0n;

/**
 * A snowflake whose timestamp is `at` (the fake's clock): interactions carry the time they were made, from
 * which discord.js derives `createdTimestamp` and so the bot the 15-minute life of the token.
 */
export function snowflakeAt(at: number): string {
  sequence = (sequence + 1n) & 0x3fffffn;
  return (((BigInt(Math.trunc(at)) - DISCORD_EPOCH) << 22n) | sequence).toString();
}

/** A random URL-safe token. */
export function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(18).toString('base64url')}`;
}

/** Throws unless `id` is a numeric-string snowflake (discord.js relies on that). */
export function assertSnowflake(id: string, what: string): void {
  if (!/^\d{1,20}$/.test(id))
    throw new Error(`FakeDiscord: ${what} must be a numeric snowflake, got '${id}'`);
}
