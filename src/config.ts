import { z } from 'zod';
import { MODES } from './upstream/types.js';

/** Raised when the environment cannot start the bot; the message names the key and says what to set. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const url = (example: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: `must be an http(s) URL, e.g. ${example}` })
    .transform((v) => v.replace(/\/+$/, ''));

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const snowflake = z
  .string()
  .trim()
  .regex(/^\d{15,21}$/, { message: 'must be a Discord id (digits)' });

/** Every key the bot reads, with its rule. `.env.example` documents the same keys. */
const schema = z.object({
  DISCORD_TOKEN: z
    .string()
    .trim()
    .min(1, { message: 'is required: the bot token from the Discord developer portal' }),
  MJ_BASE_URL: url('https://api.example.com'),
  MJ_API_KEY: z
    .string()
    .trim()
    .min(1, { message: 'is required: the upstream API key (sent as a Bearer token)' }),
  MJ_MODE: z
    .enum(MODES as ['fast', 'relax', 'turbo'], { message: 'must be fast, relax or turbo' })
    .default('fast'),
  STORE_URL: z
    .string()
    .trim()
    .regex(/^sqlite:\/\/.+/, { message: 'must look like sqlite://data/mj-bot.sqlite' })
    .default('sqlite://data/mj-bot.sqlite'),
  DISCORD_API_BASE: url('http://127.0.0.1:8080/api').optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Minutes after which a job that is not finished ends with a clear message. */
  JOB_DEADLINE_MINUTES: int(1, 24 * 60, 70),
  /** The tracker's base poll interval; it adapts upward with the number of jobs. */
  POLL_INTERVAL_MS: int(250, 60_000, 3_000),
  /** Ids per list-by-condition request. */
  POLL_BATCH_SIZE: int(1, 500, 50),
  /** Largest image a user may attach, in MiB. */
  MAX_IMAGE_MB: int(1, 50, 10),
  /** Longest prompt accepted, in characters. */
  MAX_PROMPT_LENGTH: int(10, 6000, 4000),
  /** Register slash commands at start when their definitions changed. */
  REGISTER_COMMANDS: bool(true),
});

export type Config = Readonly<{
  discordToken: string;
  mjBaseUrl: string;
  mjApiKey: string;
  mjMode: (typeof MODES)[number];
  storePath: string;
  discordApiBase: string | null;
  discordGuildId: string | null;
  logLevel: string;
  jobDeadlineMs: number;
  pollIntervalMs: number;
  pollBatchSize: number;
  maxImageBytes: number;
  maxPromptLength: number;
  registerCommands: boolean;
}>;

/** Parses the environment once into a typed, frozen config. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v.trim() !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?');
      const message = issue.code === 'invalid_type' && !(key in present) ? 'is required' : issue.message;
      return `  ${key} ${message}`;
    });
    throw new ConfigError(
      `The bot cannot start: fix these settings in the environment or in .env (see .env.example):\n${lines.join('\n')}`,
    );
  }
  const c = parsed.data;
  return Object.freeze({
    discordToken: c.DISCORD_TOKEN,
    mjBaseUrl: c.MJ_BASE_URL,
    mjApiKey: c.MJ_API_KEY,
    mjMode: c.MJ_MODE,
    storePath: c.STORE_URL.slice('sqlite://'.length),
    discordApiBase: c.DISCORD_API_BASE ?? null,
    discordGuildId: c.DISCORD_GUILD_ID ?? null,
    logLevel: c.LOG_LEVEL,
    jobDeadlineMs: c.JOB_DEADLINE_MINUTES * 60_000,
    pollIntervalMs: c.POLL_INTERVAL_MS,
    pollBatchSize: c.POLL_BATCH_SIZE,
    maxImageBytes: c.MAX_IMAGE_MB * 1024 * 1024,
    maxPromptLength: c.MAX_PROMPT_LENGTH,
    registerCommands: c.REGISTER_COMMANDS,
  });
}

/** Values that must never appear in logs or messages. */
export function secretsOf(config: Config): string[] {
  return [config.discordToken, config.mjApiKey].filter((s) => s.length >= 4);
}
