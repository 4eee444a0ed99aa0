import { type LeaseStore, leaseKey } from './leaseStore.js';
import { evalScript, type RedisCommands } from './redis.js';

/** Takes each free lease (SET NX PX); returns the 1-based positions taken. */
const ACQUIRE = `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'PX', ARGV[2], 'NX') then table.insert(out, i) end
end
return out`;

/** Extends each lease still held by ARGV[1]; returns the positions held. */
const RENEW = `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    table.insert(out, i)
  end
end
return out`;

/** Deletes each lease still held by ARGV[1]. */
const RELEASE = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0`;

/** Leases in Redis: one key per job with its owner and a PX expiry; each step one atomic script. */
export class RedisLeaseStore implements LeaseStore {
  /** Keys per script call, so a big process never blocks Redis for long. */
  private static readonly CHUNK = 500;

  constructor(private readonly redis: RedisCommands) {}

  async acquire(ids: readonly string[], owner: string, ttlMs: number): Promise<string[]> {
    return this.positions(ids, ACQUIRE, [owner, ttlMs]);
  }

  async renew(ids: readonly string[], owner: string, ttlMs: number): Promise<string[]> {
    return this.positions(ids, RENEW, [owner, ttlMs]);
  }

  async release(ids: readonly string[], owner: string): Promise<void> {
    for (const chunk of chunks(ids, RedisLeaseStore.CHUNK)) {
      await evalScript(this.redis, RELEASE, chunk.map(leaseKey), [owner]);
    }
  }

  async free(ids: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const chunk of chunks(ids, RedisLeaseStore.CHUNK)) {
      const owners = await this.redis.sendCommand<Array<string | null>>(['MGET', ...chunk.map(leaseKey)]);
      chunk.forEach((id, i) => {
        if (owners[i] === null || owners[i] === undefined) out.push(id);
      });
    }
    return out;
  }

  private async positions(
    ids: readonly string[],
    script: string,
    args: (string | number)[],
  ): Promise<string[]> {
    const out: string[] = [];
    for (const chunk of chunks(ids, RedisLeaseStore.CHUNK)) {
      const at = await evalScript<number[]>(this.redis, script, chunk.map(leaseKey), args);
      for (const i of at) out.push(chunk[Number(i) - 1] as string);
    }
    return out;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
