/** The playground page: loads the state, renders the server, channels and messages, and follows live events. */
import type { ServerEvent, ViewMessage } from '../shared.js';
import { renderComposer } from './composer.js';
import { closeAppsMenu, installAppsMenu } from './contextMenu.js';
import { h } from './dom.js';
import { type Key, tr } from './i18n.js';
import { renderMessage } from './message.js';
import { openModal } from './modal.js';
import { inDm, load, myDm, store, visible } from './store.js';
import { toast } from './toast.js';

const $ = (id: string) => document.getElementById(id) as HTMLElement;
const dismissed = new Set<string>();

function remember(): void {
  history.replaceState(null, '', `#user=${store.me}&lang=${store.locale}`);
}

function sidebar(): void {
  $('guild-name').textContent = store.world.guild.name;
  const channel = (id: string, label: string, cls: string) =>
    h(
      'button',
      {
        class: `channel ${cls}${id === store.channelId ? ' active' : ''}${store.unread.has(id) ? ' unread' : ''}`,
        'data-channel': id,
        onclick: () => {
          store.channelId = id;
          store.unread.delete(id);
          renderAll();
        },
      },
      label,
    );
  $('channel-list').replaceChildren(
    h('div', { class: 'section' }, tr('textChannels')),
    ...store.world.channels.map((c) => channel(c.id, `# ${c.name}`, 'text')),
    h('div', { class: 'section' }, tr('directMessages')),
    channel(myDm(), `@ ${store.world.bot.username}`, 'dm'),
  );
  $('me').textContent = store.world.upstream === 'simulator' ? tr('upstreamSim') : tr('upstreamReal');
  const title = inDm()
    ? `@ ${store.world.bot.username}`
    : `# ${store.world.channels.find((c) => c.id === store.channelId)?.name ?? ''}`;
  $('channel-title').textContent = title;
}

function switches(): void {
  const users = $('user-switch') as HTMLSelectElement;
  users.replaceChildren(
    ...store.world.users.map((u) =>
      h('option', { value: u.id, selected: u.id === store.me }, `${u.username} — ${tr(u.role as Key)}`),
    ),
  );
  users.onchange = () => {
    const wasDm = inDm();
    store.me = users.value;
    if (wasDm) store.channelId = myDm();
    remember();
    renderAll();
  };
  $('lang-switch').replaceChildren(
    ...(['en-US', 'zh-CN'] as const).map((l) =>
      h(
        'button',
        {
          class: l === store.locale ? 'on' : '',
          'data-lang': l,
          onclick: () => {
            store.locale = l;
            remember();
            renderAll();
          },
        },
        l === 'en-US' ? 'English' : '中文',
      ),
    ),
  );
  for (const el of document.querySelectorAll<HTMLElement>('[data-t]'))
    el.textContent = tr(el.dataset.t as Key);
}

function atBottom(): boolean {
  const list = $('messages');
  return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
}

function messages(): void {
  const list = $('messages');
  const shown = [...store.messages.values()].filter((m) => visible(m) && !dismissed.has(m.id));
  const channel =
    store.world.channels.find((c) => c.id === store.channelId)?.name ?? store.world.bot.username;
  list.replaceChildren(
    h('div', { class: 'welcome' }, tr('welcome', { channel })),
    ...shown.map(renderMessage),
  );
  list.scrollTop = list.scrollHeight;
}

function renderAll(): void {
  closeAppsMenu();
  sidebar();
  switches();
  messages();
  renderComposer();
}

/** One message changed: replace it in place (or add it), keeping the view at the bottom when it was there. */
function update(m: ViewMessage): void {
  const old = store.messages.get(m.id);
  store.messages.set(m.id, m);
  if (!old && m.channelId !== store.channelId && (!m.visibleTo || m.visibleTo === store.me)) {
    store.unread.add(m.channelId);
    sidebar();
  }
  const el = document.getElementById(`m${m.id}`);
  const stick = atBottom();
  if (!visible(m) || dismissed.has(m.id)) el?.remove();
  else if (el) el.replaceWith(renderMessage(m));
  else $('messages').append(renderMessage(m));
  if (stick) $('messages').scrollTop = $('messages').scrollHeight;
}

function onEvent(e: ServerEvent): void {
  if (e.kind === 'message') update(e.message);
  else if (e.kind === 'commands') {
    store.commands = e.commands;
    renderComposer();
  } else if (e.kind === 'modal' && e.modal.userId === store.me) openModal(e.modal);
  else if (e.kind === 'notice' && e.userId === store.me) toast(e.text);
}

function jumpTo(id: string): void {
  const target = store.messages.get(id);
  if (!target) {
    toast(tr('jumped'));
    return;
  }
  if (target.channelId !== store.channelId) {
    store.channelId = target.channelId;
    renderAll();
  }
  const el = document.getElementById(`m${id}`);
  el?.scrollIntoView({ block: 'center' });
  el?.classList.add('highlight');
  setTimeout(() => el?.classList.remove('highlight'), 1_500);
}

document.addEventListener('click', (e) => {
  const link = (e.target as HTMLElement).closest<HTMLElement>('[data-jump],[data-dismiss]');
  if (!link) return;
  e.preventDefault();
  if (link.dataset.jump) jumpTo(link.dataset.jump);
  else if (link.dataset.dismiss) {
    dismissed.add(link.dataset.dismiss);
    document.getElementById(`m${link.dataset.dismiss}`)?.remove();
  }
});

async function start(): Promise<void> {
  load(await (await fetch('/api/state')).json());
  renderAll();
  installAppsMenu();
  const source = new EventSource('/api/events');
  source.onmessage = (msg) => onEvent(JSON.parse(msg.data) as ServerEvent);
  document.body.dataset.ready = '1';
}

void start();
