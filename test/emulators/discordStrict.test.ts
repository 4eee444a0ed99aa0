/** The fake Discord refuses what Discord refuses: the document's schemas, the documented rules, time limits. */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeUser } from '../../emulators/discord/index.js';

const GUILD = '200000000000000001';
const CHANNEL = '200000000000000002';
const alice: FakeUser = { id: '300000000000000001', username: 'alice' };

let discord: FakeDiscord | undefined;
let t = 1_700_000_000_000;

async function start(): Promise<FakeDiscord> {
  t = 1_700_000_000_000;
  discord = await FakeDiscord.start({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL }] }], now: () => t });
  return discord;
}

afterEach(async () => {
  await discord?.close();
  discord = undefined;
});

async function call(d: FakeDiscord, method: string, path: string, body?: unknown, bot = false) {
  const res = await fetch(`${d.restApi}/v10${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(bot ? { authorization: `Bot ${d.token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** An interaction in the guild (no client needed) and its callback path. */
function interaction(d: FakeDiscord) {
  const handle = d.command({ name: 'menu', user: alice, guildId: GUILD });
  return { handle, callback: `/interactions/${handle.id}/${handle.token}/callback` };
}

const button = (custom_id: string) => ({ type: 2, style: 1, label: 'Go', custom_id });
const row = (...components: unknown[]) => ({ type: 1, components });
const errorsOf = (r: { json: { code: number; errors: unknown } }) => r.json.errors;

describe('request bodies against the document', () => {
  it('answers 400 / 50035 with the nested path and Discord code of each problem', async () => {
    const d = await start();
    const r = await call(d, 'POST', interaction(d).callback, {
      type: 4,
      data: { content: 'x'.repeat(2001) },
    });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: {
        data: {
          content: {
            _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }],
          },
        },
      },
    });
  });

  it('refuses unknown fields inside components, ignores them at the top of a body', async () => {
    const d = await start();
    const bad = await call(d, 'POST', interaction(d).callback, {
      type: 4,
      data: { content: 'x', components: [row({ ...button('a'), colour: 'red' })] },
    });
    expect(errorsOf(bad)).toEqual({
      data: {
        components: {
          0: {
            components: { 0: { colour: { _errors: [expect.objectContaining({ code: 'UNKNOWN_FIELD' })] } } },
          },
        },
      },
    });
    const ok = await call(d, 'POST', interaction(d).callback, {
      type: 4,
      data: { content: 'x', nonsense: 1 },
    });
    expect(ok.status).toBe(204);
  });

  it('checks command definitions (name length) on the bulk overwrite', async () => {
    const d = await start();
    const r = await call(
      d,
      'PUT',
      `/applications/${d.applicationId}/commands`,
      [{ name: 'x'.repeat(33), description: 'd' }],
      true,
    );
    expect(r.json.code).toBe(50035);
    expect(r.json.errors[0].name._errors[0].code).toBe('BASE_TYPE_MAX_LENGTH');
  });
});

describe('documented rules beyond the document', () => {
  it('refuses a custom_id used twice in one message and a select menu sharing its row', async () => {
    const d = await start();
    const dup = await call(d, 'POST', interaction(d).callback, {
      type: 4,
      data: { content: 'x', components: [row(button('a')), row(button('a'))] },
    });
    expect(dup.json.errors.data.components[1].components[0].custom_id._errors[0].code).toBe(
      'COMPONENT_CUSTOM_ID_DUPLICATED',
    );
    const select = { type: 3, custom_id: 's', options: [{ label: 'A', value: 'a' }] };
    const shared = await call(d, 'POST', interaction(d).callback, {
      type: 4,
      data: { content: 'x', components: [row(select, button('b'))] },
    });
    expect(shared.json.errors.data.components[0].components[0]._errors[0].code).toBe(
      'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
    );
  });

  it('Components V2: no content with the flag, no V2 component without it, no taking the flag back', async () => {
    const d = await start();
    const text = { type: 10, content: 'hello' };
    const withContent = await call(
      d,
      'POST',
      `/channels/${CHANNEL}/messages`,
      { content: 'x', flags: 32768, components: [text] },
      true,
    );
    expect(withContent.json.errors.content._errors[0].code).toBe(
      'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
    );
    const noFlag = await call(d, 'POST', `/channels/${CHANNEL}/messages`, { components: [text] }, true);
    expect(noFlag.json.code).toBe(50035);
    const made = await call(
      d,
      'POST',
      `/channels/${CHANNEL}/messages`,
      { flags: 32768, components: [text] },
      true,
    );
    expect(made.status).toBe(200);
    const back = await call(
      d,
      'PATCH',
      `/channels/${CHANNEL}/messages/${made.json.id}`,
      { flags: 0, content: 'x', components: [] },
      true,
    );
    expect(back.json.errors.flags._errors[0].code).toBe('MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG');
  });

  it('refuses unknown attachments[].id, an attachment:// name with no file, and an edit that empties a message', async () => {
    const d = await start();
    const made = await call(d, 'POST', `/channels/${CHANNEL}/messages`, { content: 'hi' }, true);
    const path = `/channels/${CHANNEL}/messages/${made.json.id}`;
    const unknown = await call(d, 'PATCH', path, { attachments: [{ id: '123456789012345678' }] }, true);
    expect(unknown.json.errors.attachments[0].id._errors[0].code).toBe('ATTACHMENT_NOT_FOUND');
    const url = await call(d, 'PATCH', path, { embeds: [{ image: { url: 'attachment://a.png' } }] }, true);
    expect(url.json.errors.embeds[0].image.url._errors[0].code).toBe(
      'UNFURLED_MEDIA_ITEM_ATTACHMENT_NOT_FOUND',
    );
    const empty = await call(d, 'PATCH', path, { content: '' }, true);
    expect(empty).toMatchObject({ status: 400, json: { code: 50006 } });
  });

  it('modals: text-input label rules, lengths, file upload inside a Label, no modal after a modal submit', async () => {
    const d = await start();
    const modal = (components: unknown[]) => ({ type: 9, data: { custom_id: 'm', title: 'T', components } });
    const input = { type: 4, custom_id: 'p', style: 1 };
    const noLabel = await call(d, 'POST', interaction(d).callback, modal([row(input)]));
    expect(noLabel.json.errors.data.components[0].components[0].label._errors[0].code).toBe(
      'BASE_TYPE_REQUIRED',
    );
    const twice = await call(
      d,
      'POST',
      interaction(d).callback,
      modal([{ type: 18, label: 'P', component: { ...input, label: 'P' } }]),
    );
    expect(twice.json.errors.data.components[0].component.label._errors).toHaveLength(1);
    const bounds = await call(
      d,
      'POST',
      interaction(d).callback,
      modal([{ type: 18, label: 'P', component: { ...input, min_length: 10, max_length: 5 } }]),
    );
    expect(bounds.json.errors.data.components[0].component.min_length._errors).toHaveLength(1);
    const upload = await call(d, 'POST', interaction(d).callback, modal([row({ type: 19, custom_id: 'f' })]));
    expect(upload.json.code).toBe(50035);
    const good = modal([
      { type: 18, label: 'P', component: input },
      { type: 18, label: 'F', component: { type: 19, custom_id: 'f' } },
    ]);
    expect((await call(d, 'POST', interaction(d).callback, good)).status).toBe(204);
    const submit = d.submitModal({ customId: 'm', fields: { p: 'x' }, user: alice, guildId: GUILD });
    const again = await call(d, 'POST', `/interactions/${submit.id}/${submit.token}/callback`, good);
    expect(again.json.errors.type._errors[0].code).toBe('INTERACTION_RESPONSE_TYPE_INVALID');
  });
});

describe('time, tokens, webhooks and listings as on Discord', () => {
  it('answers 10062 to an acknowledgement after 3 s on the fake clock', async () => {
    const d = await start();
    const { callback } = interaction(d);
    t += 3_001;
    expect((await call(d, 'POST', callback, { type: 5 })).json.code).toBe(10062);
    const fresh = interaction(d);
    t += 3_000;
    expect((await call(d, 'POST', fresh.callback, { type: 5 })).status).toBe(204);
  });

  it('answers 401 / 50027 on a token older than 15 minutes, 10015 for an unknown webhook or application', async () => {
    const d = await start();
    const { handle, callback } = interaction(d);
    await call(d, 'POST', callback, { type: 4, data: { content: 'hi' } });
    const original = `/webhooks/${d.applicationId}/${handle.token}/messages/@original`;
    t += 15 * 60_000;
    expect((await call(d, 'PATCH', original, { content: 'still' })).status).toBe(200);
    t += 1;
    expect(await call(d, 'PATCH', original, { content: 'late' })).toMatchObject({
      status: 401,
      json: { code: 50027 },
    });
    const unknown = await call(d, 'POST', `/webhooks/${d.applicationId}/not-a-token`, { content: 'x' });
    expect(unknown).toMatchObject({ status: 404, json: { code: 10015 } });
    const otherApp = await call(d, 'PATCH', `/webhooks/1/${interaction(d).handle.token}/messages/@original`, {
      content: 'x',
    });
    expect(otherApp.json.code).toBe(10015);
  });

  it('lists localizations only with with_localizations=true', async () => {
    const d = await start();
    const route = `/applications/${d.applicationId}/commands`;
    await call(
      d,
      'PUT',
      route,
      [{ name: 'hi', description: 'd', description_localizations: { 'zh-CN': '嗨' } }],
      true,
    );
    expect((await call(d, 'GET', route, undefined, true)).json[0].description_localizations).toBeUndefined();
    const asked = await call(d, 'GET', `${route}?with_localizations=true`, undefined, true);
    expect(asked.json[0].description_localizations).toEqual({ 'zh-CN': '嗨' });
  });
});
