/** A pop-up the bot showed: labels, text inputs (short, paragraph), selects, file uploads; submit or cancel. */
import type { Json, ViewModal } from '../shared.js';
import { h, readUpload } from './dom.js';
import { tr } from './i18n.js';
import { post } from './store.js';
import { toast } from './toast.js';

type Reader = () => Promise<[string, 'field' | 'file', unknown]>;

function input(
  c: Json,
  label: string | null,
  description: string | null,
  readers: Reader[],
): HTMLElement | null {
  const caption = label
    ? h(
        'div',
        { class: 'modal-label' },
        label,
        c.required !== false ? h('span', { class: 'req' }, ' *') : null,
      )
    : null;
  const hint = description ? h('div', { class: 'modal-hint' }, description) : null;
  let control: HTMLElement;
  if (c.type === 4) {
    const attrs = {
      'data-field': c.custom_id,
      placeholder: c.placeholder,
      maxlength: c.max_length,
      minlength: c.min_length,
    };
    const el = c.style === 2 ? h('textarea', { ...attrs, rows: 4 }) : h('input', { ...attrs, type: 'text' });
    el.value = c.value ?? '';
    readers.push(async () => [c.custom_id, 'field', el.value]);
    control = el;
  } else if (c.type === 19) {
    const el = h('input', { type: 'file', 'data-field': c.custom_id, multiple: (c.max_values ?? 1) > 1 });
    readers.push(async () => [c.custom_id, 'file', await Promise.all([...(el.files ?? [])].map(readUpload))]);
    control = el;
  } else if (c.type === 3) {
    const el = h(
      'select',
      { 'data-field': c.custom_id },
      h('option', { value: '' }, c.placeholder ?? tr('choose')),
    );
    for (const o of c.options ?? [])
      el.append(h('option', { value: o.value, selected: Boolean(o.default) }, o.label));
    readers.push(async () => [c.custom_id, 'field', el.value]);
    control = el;
  } else if (c.type === 10) {
    return h('div', { class: 'modal-text' }, String(c.content ?? ''));
  } else return null;
  return h('div', { class: 'modal-field' }, caption, hint, control);
}

export function openModal(modal: ViewModal): void {
  document.querySelector('.modal-backdrop')?.remove();
  const readers: Reader[] = [];
  const fields = modal.components.map((top: Json) => {
    if (top.type === 18) return input(top.component, top.label ?? null, top.description ?? null, readers);
    if (top.type === 1)
      return h(
        'div',
        {},
        ...(top.components ?? []).map((c: Json) => input(c, c.label ?? null, null, readers)),
      );
    return input(top, null, null, readers);
  });
  const close = () => backdrop.remove();
  const submit = async () => {
    const entries = await Promise.all(readers.map((r) => r()));
    const body = {
      customId: modal.customId,
      messageId: modal.messageId,
      channelId: modal.channelId,
      fields: Object.fromEntries(entries.filter(([, k]) => k === 'field').map(([id, , v]) => [id, v])),
      files: Object.fromEntries(
        entries.filter(([, k, v]) => k === 'file' && (v as unknown[]).length).map(([id, , v]) => [id, v]),
      ),
    };
    try {
      await post('modal', body);
      close();
    } catch (err) {
      toast((err as Error).message);
    }
  };
  const backdrop = h(
    'div',
    { class: 'modal-backdrop', onclick: (e) => e.target === backdrop && close() },
    h(
      'form',
      {
        class: 'modal',
        role: 'dialog',
        'aria-label': modal.title,
        onsubmit: (e) => {
          e.preventDefault();
          void submit();
        },
      },
      h(
        'div',
        { class: 'modal-title' },
        modal.title,
        h('button', { type: 'button', class: 'close', onclick: close }, '✕'),
      ),
      h('div', { class: 'modal-fields' }, ...fields),
      h(
        'div',
        { class: 'modal-actions' },
        h('button', { type: 'button', class: 'cancel', onclick: close }, tr('cancel')),
        h('button', { type: 'submit', class: 'submit' }, tr('submit')),
      ),
    ),
  );
  document.body.append(backdrop);
  (backdrop.querySelector('[data-field]') as HTMLElement | null)?.focus();
}
