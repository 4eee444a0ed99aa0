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
const envSchema = z.object({
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
    .regex(/^(sqlite:\/\/.+|rediss?:\/\/[^\s]+)$/, {
      message: 'must look like sqlite://data/mj-bot.sqlite (one process) or redis://host:6379 (several)',
    })
    .default('sqlite://data/mj-bot.sqlite'),
  /** Days a finished job's record is kept (its buttons work that long); Redis TTLs, SQLite pruning. */
  JOB_RETENTION_DAYS: int(1, 3650, 90),
  DISCORD_API_BASE: url('http://127.0.0.1:8080/api').optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Minutes after which a job that is not finished ends with a clear message. */
  JOB_DEADLINE_MINUTES: int(1, 24 * 60, 70),
  /** The tracker's base poll interval; it adapts upward with the number of jobs. */
  POLL_INTERVAL_MS: int(250, 60_000, 1_000),
  /** Ids per list-by-condition request. */
  POLL_BATCH_SIZE: int(1, 500, 100),
  /** Largest image a user may attach, in MiB. */
  MAX_IMAGE_MB: int(1, 50, 10),
  /** Longest prompt accepted, in characters. */
  MAX_PROMPT_LENGTH: int(10, 6000, 4000),
  /** /describe url: also fetch from private, loopback and link-local addresses (trusted networks, tests only). */
  DESCRIBE_ALLOW_PRIVATE_URLS: bool(false),
  /** Register slash commands at start when their definitions changed. */
  REGISTER_COMMANDS: bool(true),
  /** Public base URL of this bot's HTTP server; set → submits carry a notifyHook (upstream callbacks). */
  PUBLIC_URL: url('https://bot.example.com').optional(),
  /** Port of the HTTP server (callbacks, /healthz); default 8080 when PUBLIC_URL is set, else no server. */
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Interface the HTTP server listens on. */
  HTTP_HOST: z.string().trim().min(1).default('0.0.0.0'),
  /** Path secret of the callback URL; generated and stored next to the store when unset. */
  CALLBACK_SECRET: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{16,128}$/, { message: 'must be 16 to 128 characters of A-Z a-z 0-9 _ -' })
    .optional(),
  /** Minutes a Vary (Region) editor link stays valid (with PUBLIC_URL; single use). */
  EDITOR_LINK_MINUTES: int(1, 24 * 60, 15),
  // access, limits and the local queue (server owners' controls)
  /** Comma-separated guild ids the bot serves; empty → every guild it is in. */
  ALLOWED_GUILDS: z
    .string()
    .trim()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(snowflake))
    .default([]),
  /** Whether commands and prompts in DMs with the bot are served. */
  SERVE_DMS: bool(true),
  /** Who may press a job's buttons by default (a server may override it with /mj-admin). */
  BUTTON_POLICY: z
    .enum(['requester', 'anyone'], { message: 'must be requester or anyone' })
    .default('requester'),
  /** Jobs one user may have running at once; more wait in the local queue. */
  MAX_CONCURRENT_PER_USER: int(1, 100, 3),
  /** Jobs one server may have running at once; 0 → no cap. */
  MAX_CONCURRENT_PER_GUILD: int(0, 1000, 0),
  /** Jobs one user may start per day; 0 → no quota. */
  DAILY_QUOTA: int(0, 100_000, 0),
  /** Whether people with Manage Server are exempt from the daily quota. */
  QUOTA_EXEMPT_ADMINS: bool(true),
  /** Hour (UTC) at which daily usage starts again. */
  QUOTA_RESET_HOUR_UTC: int(0, 23, 0),
  /** Jobs that may wait in the local queue, in all; past it requests are refused. */
  MAX_QUEUE: int(0, 10_000, 50),
  /** Jobs one user may have waiting in the local queue. */
  MAX_QUEUED_PER_USER: int(0, 100, 5),
  // several processes (shards, hosts) over Redis
  /** Shards of the whole bot: a number, or `auto` (Discord's recommendation; `npm run start:sharded`). */
  SHARD_COUNT: z
    .string()
    .trim()
    .regex(/^(auto|[1-9]\d{0,4})$/, { message: 'must be a number of shards (1, 2, …) or auto' })
    .optional(),
  /** The shards this process connects, e.g. `0,1` (with a numeric SHARD_COUNT); unset → all of them. */
  SHARD_IDS: z
    .string()
    .trim()
    .regex(/^\d{1,5}(\s*,\s*\d{1,5})*$/, { message: 'must be shard ids separated by commas, e.g. 0,1' })
    .transform((v) => [...new Set(v.split(',').map((id) => Number(id.trim())))])
    .optional(),
  /** Set by discord.js's ShardingManager in the processes it starts: it assigns their shards (SHARDS). */
  SHARDING_MANAGER: bool(false),
  /** Several processes: the longest a dead process's jobs stay unpolled before another takes them over. */
  LEASE_MS: int(3_000, 120_000, 15_000),
});

/** The environment, reshaped for the code: names in camelCase, units converted, limits grouped, all frozen. */
const schema = envSchema.transform((c, ctx) =>
  Object.freeze({
    discordToken: c.DISCORD_TOKEN,
    mjBaseUrl: c.MJ_BASE_URL,
    mjApiKey: c.MJ_API_KEY,
    mjMode: c.MJ_MODE,
    /** The SQLite file; ':redis:' when the store is on Redis (see `storeUrl`). */
    storePath: c.STORE_URL.startsWith('sqlite://') ? c.STORE_URL.slice('sqlite://'.length) : ':redis:',
    /** `sqlite://…` or `redis://…` as given (it may hold a Redis password: a secret). */
    storeUrl: c.STORE_URL,
    jobRetentionMs: c.JOB_RETENTION_DAYS * 24 * 60 * 60_000,
    discordApiBase: c.DISCORD_API_BASE ?? null,
    discordGuildId: c.DISCORD_GUILD_ID ?? null,
    logLevel: c.LOG_LEVEL,
    jobDeadlineMs: c.JOB_DEADLINE_MINUTES * 60_000,
    pollIntervalMs: c.POLL_INTERVAL_MS,
    pollBatchSize: c.POLL_BATCH_SIZE,
    maxImageBytes: c.MAX_IMAGE_MB * 1024 * 1024,
    maxPromptLength: c.MAX_PROMPT_LENGTH,
    /** /describe url may reach private, loopback and link-local addresses. */
    describeAllowPrivateUrls: c.DESCRIBE_ALLOW_PRIVATE_URLS,
    registerCommands: c.REGISTER_COMMANDS,
    /** Base URL the upstream calls back (`<publicUrl>/hooks/mj/<secret>`); null → no callbacks. */
    publicUrl: c.PUBLIC_URL ?? null,
    /** Port of the HTTP server; null → no server. */
    httpPort: c.HTTP_PORT ?? (c.PUBLIC_URL ? 8080 : null),
    httpHost: c.HTTP_HOST,
    /** Secret path segment of the callback URL; null until given or generated (`withCallbackSecret`). */
    callbackSecret: c.CALLBACK_SECRET ?? null,
    /** How long a Vary (Region) editor link is valid. */
    editorLinkTtlMs: c.EDITOR_LINK_MINUTES * 60_000,
    /** Guilds the bot serves; empty → all. */
    allowedGuilds: Object.freeze([...c.ALLOWED_GUILDS]),
    serveDms: c.SERVE_DMS,
    buttonPolicy: c.BUTTON_POLICY,
    limits: Object.freeze({
      perUser: c.MAX_CONCURRENT_PER_USER,
      /** 0 → no cap. */
      perGuild: c.MAX_CONCURRENT_PER_GUILD,
      /** 0 → no quota. */
      dailyQuota: c.DAILY_QUOTA,
      quotaExemptAdmins: c.QUOTA_EXEMPT_ADMINS,
      resetHourUtc: c.QUOTA_RESET_HOUR_UTC,
      maxQueue: c.MAX_QUEUE,
      maxQueuedPerUser: c.MAX_QUEUED_PER_USER,
    }),
    /** The shards this process runs; null → one process, no sharding (Discord's shard 0 of 1). */
    shards: c.SHARDING_MANAGER
      ? null
      : shardsOf(c.SHARD_COUNT, c.SHARD_IDS, (message) =>
          ctx.addIssue({ code: 'custom', message, path: ['SHARD_IDS'] }),
        ),
    /** How soon the others take over a dead process's jobs (their leases expire within it). */
    leaseMs: c.LEASE_MS,
  }),
);

/** `SHARD_COUNT` and `SHARD_IDS` together: which shards of how many this process connects. */
function shardsOf(
  count: string | undefined,
  ids: number[] | undefined,
  problem: (message: string) => void,
): { count: number | 'auto'; ids: number[] | 'all' } | null {
  if (count === undefined) {
    if (ids !== undefined) problem('needs SHARD_COUNT (how many shards the whole bot runs)');
    return null;
  }
  if (count === 'auto') {
    if (ids !== undefined) problem('needs a numeric SHARD_COUNT (auto lets discord.js choose every shard)');
    return { count: 'auto', ids: 'all' };
  }
  const n = Number(count);
  const wrong = (ids ?? []).filter((id) => id >= n);
  if (wrong.length > 0) problem(`has ids ${wrong.join(', ')} not below SHARD_COUNT (${n})`);
  return { count: n, ids: ids ?? 'all' };
}

/** The bot's settings, as `loadConfig` returns them: derived from the schema above, so each key is set in one place. */
export type Config = z.output<typeof schema>;

/** Parses the environment once into a typed, frozen config. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in envSchema.shape && v !== undefined && v.trim() !== ''),
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
  return parsed.data;
}

/** Values that must never appear in logs or messages. */
export function secretsOf(config: Config): string[] {
  return [
    config.discordToken,
    config.mjApiKey,
    config.callbackSecret ?? '',
    storePasswordOf(config.storeUrl),
  ].filter((s) => s.length >= 4);
}

/** The password in a `redis://user:password@host` STORE_URL, or ''. */
function storePasswordOf(url: string): string {
  try {
    // A config built by hand (tests) may lack it.
    return url?.startsWith('redis') ? decodeURIComponent(new URL(url).password) : '';
  } catch {
    return '';
  }
}
