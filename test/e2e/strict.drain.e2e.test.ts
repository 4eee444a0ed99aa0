/** A shutdown waits for the interactions under way at most its grace time (on the bot's clock), then stops. */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fakeClock.js';
import { Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the drain timeout', () => {
  it('a submit that never answers does not hold the shutdown past the grace time', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ bot: { clock, shutdownGraceMs: 10_000 } });
    let release: () => void = () => undefined;
    h.sim.fault({ endpoint: 'submit/imagine' }, { until: new Promise<void>((r) => (release = r)) });
    await (await h.imagine('a submit that hangs')).message();
    await h.sim.waitForRequest((r) => r.endpoint === 'submit/imagine');
    let stopped = false;
    const stopping = h.bot.stop().then(() => {
      stopped = true;
    });
    await h.waitForLog('waiting for interactions under way', { interactions: 1 });
    await clock.advance(9_999);
    expect(stopped).toBe(false);
    await clock.advance(1);
    await h.waitForLog('stopping with interactions under way', { interactions: 1 });
    await stopping;
    expect(stopped).toBe(true);
    release();
  });
});
