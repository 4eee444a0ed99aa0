import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = {
  DISCORD_TOKEN: 'discord-token-value',
  MJ_BASE_URL: 'https://api.example.com',
  MJ_API_KEY: 'sk-key',
};

describe('config: access, limits and the queue', () => {
  it('defaults: every server, DMs served, requester-only buttons, 3 jobs per user, no quota', () => {
    const c = loadConfig(base);
    expect(c.allowedGuilds).toEqual([]);
    expect(c.serveDms).toBe(true);
    expect(c.buttonPolicy).toBe('requester');
    expect(c.limits).toEqual({
      perUser: 3,
      perGuild: 0,
      dailyQuota: 0,
      quotaExemptAdmins: true,
      resetHourUtc: 0,
      maxQueue: 50,
      maxQueuedPerUser: 5,
    });
  });

  it('reads the list of servers and the limits', () => {
    const c = loadConfig({
      ...base,
      ALLOWED_GUILDS: '200000000000000001, 200000000000000002',
      SERVE_DMS: 'false',
      BUTTON_POLICY: 'anyone',
      DAILY_QUOTA: '25',
      QUOTA_RESET_HOUR_UTC: '8',
    });
    expect(c.allowedGuilds).toEqual(['200000000000000001', '200000000000000002']);
    expect(c.serveDms).toBe(false);
    expect(c.buttonPolicy).toBe('anyone');
    expect(c.limits).toMatchObject({ dailyQuota: 25, resetHourUtc: 8 });
  });

  it('names the key of a bad value', () => {
    expect(() => loadConfig({ ...base, BUTTON_POLICY: 'everyone' })).toThrow(
      /BUTTON_POLICY must be requester or anyone/,
    );
    expect(() => loadConfig({ ...base, ALLOWED_GUILDS: 'my-server' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, MAX_CONCURRENT_PER_USER: '0' })).toThrow(/MAX_CONCURRENT_PER_USER/);
  });
});
