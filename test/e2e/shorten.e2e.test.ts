import { afterEach, describe, expect, it } from 'vitest';
import { nextSubmit, str } from '../support/flows.js';
import { alice, customIdOf, finishTask, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const PROMPT = 'appdash appdash, in the style of expert draftsmanship, toonami';

describe('/shorten end to end', () => {
  it('shows the analysis readably and a button per shortened prompt; a pick opens a pop-up that imagines it', async () => {
    h = await Harness.start();
    const submitted = nextSubmit(h);
    const msg = await h.run('shorten', alice, { options: [str('prompt', PROMPT)] }).message();
    expect(msg.content).toBe(`**${PROMPT}** - <@${alice.id}> (Waiting to start)`);
    await submitted;
    expect(h.sim.submits('shorten')[0]?.body).toMatchObject({ prompt: PROMPT });
    await finishTask(h);

    const embed = msg.embeds[0];
    expect(embed?.title).toBe('Shorten');
    const text = String(embed?.description);
    expect(text).toContain('**Important tokens**\n**appdash** **appdash** ~~in~~');
    expect(text).toContain(
      '**Shortened prompts**\n1️⃣ appdash appdash in the style of expert draftsmanship toonami',
    );
    expect(text).toContain('3️⃣ appdash appdash in the style of expert');
    expect(labelsOf(msg)).toEqual(['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣', '✉️', '🗑️']);

    const open = await h.discord.clickButton({
      messageId: msg.id,
      customId: customIdOf(msg, '3️⃣'),
      user: alice,
    }).response;
    expect(open.type).toBe(9);
    expect(open.data.components[0].component.value).toBe('appdash appdash in the style of expert');

    const next = nextSubmit(h);
    const sent = h.discord.submitModal({
      customId: open.data.custom_id,
      fields: { prompt: 'appdash, expert draftsmanship --ar 3:2' },
      user: alice,
    });
    const child = await sent.message();
    await next;
    expect(h.sim.submits('imagine')[0]?.body).toMatchObject({
      prompt: 'appdash, expert draftsmanship --ar 3:2',
    });
    expect(h.sim.submits('action')).toHaveLength(0); // PromptAnalyzer buttons are refused by aggregators
    expect(child.content).toContain('**appdash, expert draftsmanship --ar 3:2** - <@');
    await finishTask(h);
    expect(labelsOf(child)).toContain('U1');
  });

  it('refuses an empty pop-up prompt without sending anything', async () => {
    h = await Harness.start();
    const submitted = nextSubmit(h);
    const msg = await h.run('shorten', alice, { options: [str('prompt', PROMPT)] }).message();
    await submitted;
    await finishTask(h);
    const open = await h.discord.clickButton({
      messageId: msg.id,
      customId: customIdOf(msg, '1️⃣'),
      user: alice,
    }).response;
    const answer = await h.discord.submitModal({
      customId: open.data.custom_id,
      fields: { prompt: '   ' },
      user: alice,
    }).response;
    expect(answer.type).toBe(4);
    expect(answer.data.content).toBe('Please enter a prompt.');
    expect(h.sim.submits('imagine')).toHaveLength(0);
  });
});
