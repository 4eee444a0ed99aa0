import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { RECENT_MAX, RecentJobs, recentJobIds } from '../../src/jobs/recentJobs.js';

describe('recent jobs', () => {
  it('keeps each user’s latest job ids, newest first, capped, none lost when added at once', async () => {
    const keyv = new Keyv();
    const recent = new RecentJobs(keyv);
    await Promise.all(Array.from({ length: RECENT_MAX + 3 }, (_, i) => recent.add('u1', `j${i}`)));
    await recent.add('u2', 'other');
    const ids = await recentJobIds(keyv, 'u1');
    expect(ids).toHaveLength(RECENT_MAX);
    expect(ids[0]).toBe(`j${RECENT_MAX + 2}`);
    expect(ids.at(-1)).toBe('j3');
    expect(await recentJobIds(keyv, 'u2')).toEqual(['other']);
    expect(await recentJobIds(keyv, 'nobody')).toEqual([]);
  });
});
