import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

/**
 * undici keeps its global dispatcher on `globalThis`, shared by every copy loaded. With two major versions in
 * the tree (ours and discord.js's), whichever loads first serves the other's requests, and discord.js's
 * multipart uploads (every final image) then fail with "action is not a function" inside undici. One copy
 * in the tree (our `undici` on discord.js's major) makes the import order not matter.
 */
describe('undici', () => {
  it('is one copy: discord.js uploads through the same undici the bot loads', () => {
    const ours = require.resolve('undici');
    const rest = createRequire(require.resolve('@discordjs/rest')).resolve('undici');
    const discordJs = createRequire(require.resolve('discord.js')).resolve('undici');
    expect(rest).toBe(ours);
    expect(discordJs).toBe(ours);
  });
});
