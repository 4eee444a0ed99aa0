/**
 * Discord echoes the bot's own messages to it (MESSAGE_CREATE) and lets other bots write to it: neither is a
 * prompt. Gateway events arrive in order, so by a later human DM's submit the earlier ones were received.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../emulators/discord/index.js';
import { alice, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const otherBot: FakeUser = { id: '300000000000000099', username: 'another-bot', bot: true };
const prompts = (harness: Harness) =>
  harness.sim.submits('imagine').map((s) => (s.body as { prompt: string }).prompt);

describe('DMs that are no prompt', () => {
  it("the bot's own DM reply, echoed by Discord, starts nothing", async () => {
    h = await Harness.start();
    const dm = h.discord.dmChannelFor(alice.id);
    await h.discord.userMessage({ user: alice, content: 'a lighthouse at dusk' });
    await h.waitFor((m) => m.channelId === dm && m.content.includes('a lighthouse at dusk'));
    await h.submitted(1);
    await h.discord.userMessage({ user: alice, content: 'a second prompt' });
    await h.submitted(2);
    expect(prompts(h)).toEqual(['a lighthouse at dusk', 'a second prompt']);
  });

  it("another bot's DM starts nothing", async () => {
    h = await Harness.start();
    await h.discord.userMessage({ user: otherBot, content: 'a prompt from a bot' });
    await h.discord.userMessage({ user: alice, content: 'a human prompt' });
    await h.submitted(1);
    await h.bot.stop(); // handlers run side by side: stopping waits for every one under way
    expect(prompts(h)).toEqual(['a human prompt']);
  });
});
