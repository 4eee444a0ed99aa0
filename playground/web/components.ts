/** A message's components: rows of buttons (styles, emoji, disabled, links) and select menus. */
import type { Json, ViewMessage } from '../shared.js';
import { h } from './dom.js';
import { tr } from './i18n.js';
import { jumpTarget } from './markdown.js';
import { post, store } from './store.js';
import { toast } from './toast.js';

const STYLES: Record<number, string> = {
  1: 'primary',
  2: 'secondary',
  3: 'success',
  4: 'danger',
  5: 'link',
  6: 'premium',
};

function emojiOf(c: Json): string {
  if (!c.emoji) return '';
  return c.emoji.id ? `:${c.emoji.name ?? 'emoji'}:` : String(c.emoji.name ?? '');
}

/** Does `kind` as the current person; a refusal of the local Discord is shown as a toast. */
function act(kind: string, body: Record<string, unknown>): void {
  post(kind, body).catch((err: Error) => toast(err.message));
}

function button(m: ViewMessage, c: Json): HTMLElement {
  const emoji = emojiOf(c);
  const content = [
    emoji ? h('span', { class: 'emoji' }, emoji) : null,
    c.label ? h('span', {}, String(c.label)) : null,
  ];
  const style = STYLES[c.style] ?? 'secondary';
  if (c.style === 5) {
    const jump = jumpTarget(String(c.url ?? ''));
    return h(
      'a',
      {
        class: `btn ${style}${c.disabled ? ' disabled' : ''}`,
        href: jump ? '#' : String(c.url ?? '#'),
        target: jump ? undefined : '_blank',
        rel: 'noreferrer',
        'data-jump': jump ?? undefined,
      },
      ...content,
      h('span', { class: 'link-icon' }, '↗'),
    );
  }
  return h(
    'button',
    {
      class: `btn ${style}`,
      disabled: Boolean(c.disabled),
      'data-custom-id': String(c.custom_id),
      'data-label': c.label ? String(c.label) : emoji,
      title: c.label ? undefined : emoji,
      onclick: () => act('click', { messageId: m.id, customId: c.custom_id, channelId: m.channelId }),
    },
    ...content,
  );
}

function optionsOf(
  c: Json,
): { label: string; value: string; description?: string; default?: boolean; emoji?: Json }[] {
  if (c.type === 3) return c.options ?? [];
  if (c.type === 5 || c.type === 6) return store.world.users.map((u) => ({ label: u.username, value: u.id }));
  if (c.type === 7) return store.world.channels.map((ch) => ({ label: `#${ch.name}`, value: ch.id }));
  return [];
}

function select(m: ViewMessage, c: Json): HTMLElement {
  const el = h('select', {
    class: 'menu',
    disabled: Boolean(c.disabled),
    'data-custom-id': String(c.custom_id),
    onchange: () => {
      const values = [...el.selectedOptions].map((o) => o.value).filter(Boolean);
      if (values.length)
        act('select', { messageId: m.id, customId: c.custom_id, values, channelId: m.channelId });
    },
  });
  el.append(h('option', { value: '' }, String(c.placeholder ?? tr('choose'))));
  for (const o of optionsOf(c)) {
    const emoji = o.emoji ? `${emojiOf(o)} ` : '';
    el.append(
      h(
        'option',
        { value: o.value, selected: Boolean(o.default), title: o.description },
        `${emoji}${o.label}`,
      ),
    );
  }
  if ((c.max_values ?? 1) > 1) el.multiple = true;
  return el;
}

export function renderComponents(m: ViewMessage): HTMLElement | null {
  if (!m.components.length) return null;
  const rows = m.components.map((row: Json) => {
    const children: Json[] = row.type === 1 ? (row.components ?? []) : [row];
    return h(
      'div',
      { class: 'row' },
      ...children.map((c) =>
        c.type === 2 ? button(m, c) : [3, 5, 6, 7, 8].includes(c.type) ? select(m, c) : null,
      ),
    );
  });
  return h('div', { class: 'components' }, ...rows);
}
