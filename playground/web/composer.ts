/**
 * The message box: plain messages (with files, see `attach.ts`), or a slash command picked from the bot's registered commands (what it PUT),
 * with its options: text, numbers, true/false, choices, users, channels, roles, and attachments (file upload).
 */
import type { Json } from '../shared.js';
import { attachButton, attachedChips, hasAttached, takeAttached } from './attach.js';
import { h, readUpload } from './dom.js';
import { localized, tr } from './i18n.js';
import { inDm, post, store } from './store.js';
import { toast } from './toast.js';
import { SLASH, usableHere } from './usable.js';

interface Entry {
  command: Json;
  sub: Json | null;
  options: Json[];
}

let active: Entry | null = null;
let shown = new Set<string>();
const values = new Map<string, string | File>();

/** Every command (and subcommand) usable here, as the command box lists them. */
export function entries(): Entry[] {
  return store.commands
    .filter((c) => usableHere(c, SLASH))
    .flatMap((command): Entry[] => {
      const subs = (command.options ?? []).filter((o: Json) => o.type === 1);
      if (!subs.length) return [{ command, sub: null, options: command.options ?? [] }];
      return subs.map((sub: Json) => ({ command, sub, options: sub.options ?? [] }));
    });
}

const title = (e: Entry) => `/${localized(e.command, 'name')}${e.sub ? ` ${localized(e.sub, 'name')}` : ''}`;

function field(o: Json): HTMLElement {
  const id = `opt-${o.name}`;
  const set = (v: string) => (v === '' ? values.delete(o.name) : values.set(o.name, v));
  const current = values.get(o.name);
  const text = typeof current === 'string' ? current : '';
  const choice = (list: { name: string; value: string }[]) => {
    const el = h(
      'select',
      { id, 'data-option': o.name, onchange: () => set(el.value) },
      h('option', { value: '' }, tr('choose')),
    );
    for (const c of list) el.append(h('option', { value: c.value, selected: c.value === text }, c.name));
    return el;
  };
  let input: HTMLElement;
  if (o.choices?.length)
    input = choice(o.choices.map((c: Json) => ({ name: localized(c, 'name'), value: String(c.value) })));
  else if (o.type === 5)
    input = choice([
      { name: 'True', value: 'true' },
      { name: 'False', value: 'false' },
    ]);
  else if (o.type === 6) input = choice(store.world.users.map((u) => ({ name: u.username, value: u.id })));
  else if (o.type === 7)
    input = choice(store.world.channels.map((c) => ({ name: `#${c.name}`, value: c.id })));
  else if (o.type === 8)
    input = choice([
      { name: '@everyone', value: store.world.guild.id },
      { name: 'Moderator', value: '700000000000000050' },
    ]);
  else if (o.type === 11) {
    const file = h('input', { id, type: 'file', 'data-option': o.name, accept: 'image/*' });
    file.addEventListener('change', () =>
      file.files?.[0] ? values.set(o.name, file.files[0]) : values.delete(o.name),
    );
    input = file;
  } else {
    const el = h('input', {
      id,
      'data-option': o.name,
      type: o.type === 4 || o.type === 10 ? 'number' : 'text',
      value: text,
      autocomplete: 'off',
    });
    el.addEventListener('input', () => set(el.value));
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void send();
    });
    input = el;
  }
  return h(
    'label',
    { class: `option${o.type === 3 && !o.choices ? ' wide' : ''}`, title: localized(o, 'description') },
    h('span', { class: 'option-name' }, `${localized(o, 'name')}${o.required ? '' : ''}`),
    input,
  );
}

function optionValue(o: Json, v: string): string | number | boolean {
  if (o.type === 4) return Number.parseInt(v, 10);
  if (o.type === 10) return Number(v);
  if (o.type === 5) return v === 'true';
  return v;
}

async function send(): Promise<void> {
  if (!active) return;
  const missing = active.options.filter((o: Json) => o.required && !values.has(o.name));
  if (missing.length)
    return toast(tr('missing', { names: missing.map((o: Json) => localized(o, 'name')).join(', ') }));
  const options: Json[] = [];
  const files: Record<string, unknown> = {};
  for (const o of active.options) {
    const v = values.get(o.name);
    if (v === undefined) continue;
    if (v instanceof File) files[o.name] = await readUpload(v);
    else options.push({ name: o.name, type: o.type, value: optionValue(o, v) });
  }
  const wrapped = active.sub ? [{ name: active.sub.name, type: 1, options }] : options;
  const name = active.command.name;
  reset();
  post('command', { name, options: wrapped, files }).catch((err: Error) => toast(err.message));
}

function reset(): void {
  active = null;
  values.clear();
  shown = new Set();
  renderComposer();
}

function pick(e: Entry): void {
  active = e;
  values.clear();
  shown = new Set(e.options.filter((o: Json) => o.required).map((o: Json) => o.name));
  renderComposer();
  (document.querySelector('#composer [data-option]') as HTMLElement | null)?.focus();
}

function commandForm(e: Entry): HTMLElement {
  const optional = e.options.filter((o: Json) => !shown.has(o.name));
  return h(
    'div',
    { class: 'command-form' },
    h(
      'div',
      { class: 'command-chip' },
      title(e),
      h('button', { class: 'close', title: tr('cancel'), onclick: reset }, '✕'),
    ),
    h('div', { class: 'options' }, ...e.options.filter((o: Json) => shown.has(o.name)).map(field)),
    h(
      'div',
      { class: 'command-actions' },
      ...optional.map((o: Json) =>
        h(
          'button',
          {
            class: 'add-option',
            title: localized(o, 'description'),
            onclick: () => {
              shown.add(o.name);
              renderComposer();
            },
          },
          `+ ${localized(o, 'name')}`,
        ),
      ),
      h('button', { class: 'send', id: 'send', onclick: () => void send() }, tr('send')),
    ),
  );
}

function picker(query: string): HTMLElement {
  const q = query.slice(1).toLowerCase();
  const found = entries().filter(
    (e) => title(e).slice(1).toLowerCase().startsWith(q) || e.command.name.startsWith(q),
  );
  return h(
    'div',
    { class: 'command-picker', role: 'listbox' },
    ...(found.length
      ? found.map((e) =>
          h(
            'button',
            {
              class: 'command-item',
              role: 'option',
              'data-command': `${e.command.name}${e.sub ? ` ${e.sub.name}` : ''}`,
              onclick: () => pick(e),
            },
            h('span', { class: 'command-title' }, title(e)),
            h('span', { class: 'command-desc' }, localized(e.sub ?? e.command, 'description')),
          ),
        )
      : [h('div', { class: 'command-none' }, tr('noCommands'))]),
  );
}

export function renderComposer(): void {
  const box = document.getElementById('composer');
  if (!box) return;
  box.replaceChildren();
  if (active) {
    box.append(commandForm(active));
    return;
  }
  const channel = store.world.channels.find((c) => c.id === store.channelId)?.name ?? '';
  const input = h('input', {
    id: 'message-input',
    autocomplete: 'off',
    placeholder: inDm()
      ? tr('placeholderDm', { bot: store.world.bot.username })
      : tr('placeholder', { channel }),
  });
  const list = h('div', { class: 'picker-slot' });
  input.addEventListener('input', () =>
    list.replaceChildren(...(input.value.startsWith('/') ? [picker(input.value)] : [])),
  );
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    if (input.value.startsWith('/')) {
      (list.querySelector('.command-item') as HTMLElement | null)?.click();
      return;
    }
    const content = input.value.trim();
    if (!content && !hasAttached()) return;
    input.value = '';
    void takeAttached()
      .then((files) => {
        renderComposer();
        return post('message', { content, files });
      })
      .catch((err: Error) => toast(err.message));
  });
  const redraw = () => {
    const typed = input.value;
    renderComposer();
    const again = document.getElementById('message-input') as HTMLInputElement | null;
    if (again) {
      again.value = typed;
      again.focus();
    }
  };
  box.append(
    list,
    attachedChips(redraw) ?? '',
    h('div', { class: 'message-row' }, attachButton(redraw), input),
  );
}
