/** Why the job store cannot be used; each needs an operator, so the bot refuses to start rather than loop. */
export type StoreProblem = 'locked' | 'readonly' | 'corrupt' | 'unavailable' | 'unreachable' | 'refused';

/**
 * The store cannot be opened, read or written. The message names the file and says what to do; the bot
 * writes nothing to the file after this (a corrupt file is left exactly as it was).
 */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly problem: StoreProblem,
    readonly path: string,
    readonly code: string | null,
    cause?: unknown,
  ) {
    super(messageOf(problem, path, code), cause === undefined ? undefined : { cause });
  }
}

const LOCKED = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);
const READONLY = new Set(['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PERM', 'EACCES', 'EPERM', 'EROFS']);
const CORRUPT = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/** Maps an error from opening, reading or writing the SQLite file to a `StoreError`. */
export function storeErrorOf(err: unknown, path: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = codeOf(err);
  const problem: StoreProblem =
    code && LOCKED.has(code)
      ? 'locked'
      : code && READONLY.has(code)
        ? 'readonly'
        : code && CORRUPT.has(code)
          ? 'corrupt'
          : 'unavailable';
  return new StoreError(problem, path, code ?? (err instanceof Error ? err.message : String(err)), err);
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);

/** A Redis URL as it may be shown: its password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'the Redis URL';
  }
}

/** Maps an error from connecting to, reading or writing the Redis store to a `StoreError`. */
export function redisStoreErrorOf(err: unknown, where: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = codeOf(err);
  const text = err instanceof Error ? err.message : String(err);
  const refused = /NOAUTH|WRONGPASS|NOPERM|invalid username-password/i.test(text);
  const problem: StoreProblem = refused
    ? 'refused'
    : (code && UNREACHABLE.has(code)) || /timeout|no answer|connect/i.test(text)
      ? 'unreachable'
      : 'unavailable';
  return new StoreError(problem, where, code ?? text, err);
}

function codeOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : null;
}

function messageOf(problem: StoreProblem, path: string, code: string | null): string {
  const why = code ? ` (${code})` : '';
  switch (problem) {
    case 'locked':
      return (
        `The job store ${path} is locked by another process${why}. Is another copy of the bot running? ` +
        'Stop it (two copies would race for every interaction), or set STORE_URL to another file.'
      );
    case 'readonly':
      return (
        `The job store ${path} cannot be written${why}: the file or its folder is read-only. ` +
        "Give the bot's user write access to both, or set STORE_URL to a writable place."
      );
    case 'corrupt':
      return (
        `The job store ${path} is not a readable SQLite database${why}. The bot left it untouched. ` +
        'Restore it from a backup, or move it aside to start with an empty store (its jobs would be forgotten).'
      );
    case 'unavailable':
      return `The job store ${path} could not be opened${why}. Check the file and STORE_URL.`;
    case 'unreachable':
      return (
        `The job store ${path} (STORE_URL) cannot be reached${why}. Is Redis running, and are its host and port ` +
        'right? Start Redis or correct STORE_URL (redis://host:6379, or sqlite://path for one process).'
      );
    case 'refused':
      return (
        `The Redis store ${path} (STORE_URL) refused the bot${why}. Put the right user and password in ` +
        'STORE_URL (redis://user:password@host:6379).'
      );
  }
}
