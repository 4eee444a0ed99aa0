/**
 * A message's context menu, as Discord opens it on right-click, on its "⋯" button or on a long press (touch):
 * "Apps" lists the bot's message commands (type 3) usable here; choosing one runs it on that message as you.
 */
import type { Json } from '../shared.js';
import { h } from './dom.js';
import { localized, tr } from './i18n.js';
import { post, store } from './store.js';
import { toast } from './toast.js';
import { MESSAGE_MENU, usableHere } from './usable.js';

const LONG_PRESS_MS = 500;

export const menuCommands = (): Json[] => store.commands.filter((c) => usableHere(c, MESSAGE_MENU));

export function closeAppsMenu(): void {
  document.getElementById('context-menu')?.remove();
}

/** Opens the menu of message `messageId` with its top-left corner at (x, y), kept inside the window. */
export function openAppsMenu(messageId: string, x: number, y: number): void {
  closeAppsMenu();
  const apps = menuCommands();
  const item = (c: Json) =>
    h(
      'button',
      {
        class: 'ctx-item',
        role: 'menuitem',
        'data-menu-command': c.name,
        onclick: () => {
          closeAppsMenu();
          post('menu', { name: c.name, messageId }).catch((err: Error) => toast(err.message));
        },
      },
      localized(c, 'name'),
    );
  const menu = h(
    'div',
    { id: 'context-menu', class: 'ctx-menu', role: 'menu', 'data-message': messageId },
    h('div', { class: 'ctx-section' }, tr('apps')),
    ...(apps.length ? apps.map(item) : [h('div', { class: 'ctx-none' }, tr('noApps'))]),
  );
  document.body.append(menu);
  const { width, height } = menu.getBoundingClientRect();
  menu.style.left = `${Math.max(4, Math.min(x, innerWidth - width - 4))}px`;
  menu.style.top = `${Math.max(4, Math.min(y, innerHeight - height - 4))}px`;
  (menu.querySelector('.ctx-item') as HTMLElement | null)?.focus();
}

/** The message (not ephemeral: Discord offers no apps there) an event happened on. */
function messageOf(target: EventTarget | null): HTMLElement | null {
  const el = (target as HTMLElement | null)?.closest?.<HTMLElement>('article.message');
  return el && !el.classList.contains('ephemeral') ? el : null;
}

/** Right-click, "⋯" and long press on messages; Escape, the wheel or a click elsewhere closes the menu. */
export function installAppsMenu(): void {
  document.addEventListener('contextmenu', (e) => {
    const m = messageOf(e.target);
    if (!m?.dataset.id) return;
    e.preventDefault();
    openAppsMenu(m.dataset.id, e.clientX, e.clientY);
  });
  document.addEventListener('click', (e) => {
    const more = (e.target as HTMLElement).closest<HTMLElement>('[data-more]');
    if (more?.dataset.more) {
      const r = more.getBoundingClientRect();
      openAppsMenu(more.dataset.more, r.left, r.bottom + 4);
    } else if (!(e.target as HTMLElement).closest('#context-menu')) closeAppsMenu();
  });
  document.addEventListener('keydown', (e) => e.key === 'Escape' && closeAppsMenu());
  // Scrolling by hand closes it (not the list's own scroll to a new message, nor a scroll into view).
  document.getElementById('messages')?.addEventListener('wheel', closeAppsMenu, { passive: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => clearTimeout(timer);
  document.addEventListener('pointerdown', (e) => {
    const m = messageOf(e.target);
    if (e.pointerType !== 'touch' || !m?.dataset.id) return;
    const id = m.dataset.id;
    timer = setTimeout(() => openAppsMenu(id, e.clientX, e.clientY), LONG_PRESS_MS);
  });
  for (const type of ['pointerup', 'pointermove', 'pointercancel']) document.addEventListener(type, cancel);
}
