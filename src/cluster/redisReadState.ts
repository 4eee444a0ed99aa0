import type { JobStore } from '../jobs/store.js';
import { evalScript, type RedisCommands } from './redis.js';
import type { ReadState } from './sharedReads.js';
import { recordedMarks } from './taskOrder.js';

/** The reader's beat: its name, expiring unless renewed each round. */
const BEAT = 'mj::reader:round';
const END_IF_MINE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** What the shared reader works from, in Redis: the tracking index, the applied marks, the beat. */
export function redisReadState(redis: RedisCommands, store: JobStore): ReadState {
  return {
    tracking: (older) => store.trackingTasks(older),
    marks: (jobIds) => recordedMarks(redis, jobIds),
    async beat(owner, ttlMs) {
      await redis.sendCommand(['SET', BEAT, owner, 'PX', String(Math.ceil(ttlMs))]);
    },
    async fresh() {
      return (await redis.sendCommand<number>(['EXISTS', BEAT])) === 1;
    },
    async end(owner) {
      await evalScript(redis, END_IF_MINE, [BEAT], [owner]);
    },
  };
}
