import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretsOf } from '../../src/config.js';

const base = {
  DISCORD_TOKEN: 'discord-token-value',
  MJ_BASE_URL: 'https://api.example.com/',
  MJ_API_KEY: 'sk-test-key',
};

function errorOf(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads the required keys and applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c.mjBaseUrl).toBe('https://api.example.com');
    expect(c.mjMode).toBe('fast');
    expect(c.storePath).toBe('data/mj-bot.sqlite');
    expect(c.discordApiBase).toBeNull();
    expect(c.discordGuildId).toBeNull();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names every missing required key and says what to set', () => {
    const message = errorOf({});
    expect(message).toContain('DISCORD_TOKEN is required');
    expect(message).toContain('MJ_BASE_URL is required');
    expect(message).toContain('MJ_API_KEY is required');
    expect(message).toContain('.env.example');
  });

  it('treats empty and blank values as unset', () => {
    expect(errorOf({ ...base, MJ_API_KEY: '   ' })).toContain('MJ_API_KEY is required');
    expect(loadConfig({ ...base, MJ_MODE: '' }).mjMode).toBe('fast');
  });

  it('refuses invalid values, naming the key', () => {
    expect(errorOf({ ...base, MJ_MODE: 'slow' })).toContain('MJ_MODE must be fast, relax or turbo');
    expect(errorOf({ ...base, MJ_BASE_URL: 'api.example.com' })).toContain(
      'MJ_BASE_URL must be an http(s) URL',
    );
    expect(errorOf({ ...base, STORE_URL: 'postgres://x' })).toContain('STORE_URL');
    expect(errorOf({ ...base, DISCORD_GUILD_ID: 'abc' })).toContain('DISCORD_GUILD_ID');
    expect(errorOf({ ...base, POLL_INTERVAL_MS: '5' })).toContain('POLL_INTERVAL_MS');
  });

  it('never echoes a secret in its error', () => {
    const message = errorOf({ ...base, MJ_BASE_URL: 'nope', MJ_MODE: 'x' });
    expect(message).not.toContain(base.DISCORD_TOKEN);
    expect(message).not.toContain(base.MJ_API_KEY);
  });

  it('reads the optional keys', () => {
    const c = loadConfig({
      ...base,
      MJ_MODE: 'relax',
      STORE_URL: 'sqlite:///var/lib/mj/bot.sqlite',
      DISCORD_API_BASE: 'http://127.0.0.1:9999/api',
      DISCORD_GUILD_ID: '123456789012345678',
      REGISTER_COMMANDS: 'false',
    });
    expect(c.mjMode).toBe('relax');
    expect(c.storePath).toBe('/var/lib/mj/bot.sqlite');
    expect(c.discordApiBase).toBe('http://127.0.0.1:9999/api');
    expect(c.discordGuildId).toBe('123456789012345678');
    expect(c.registerCommands).toBe(false);
    expect(secretsOf(c)).toEqual([base.DISCORD_TOKEN, base.MJ_API_KEY]);
  });
});
