/** The page's state: the world, the bot's commands and messages, who you are, where you are, in which language. */
import type { Json, ViewMessage, ViewState, ViewUser, ViewWorld } from '../shared.js';

export type Locale = 'en-US' | 'zh-CN';

export const store = {
  world: null as unknown as ViewWorld,
  commands: [] as Json[],
  messages: new Map<string, ViewMessage>(),
  me: '',
  locale: 'en-US' as Locale,
  channelId: '',
  /** Channels with messages not seen yet. */
  unread: new Set<string>(),
};

export function load(state: ViewState): void {
  store.world = state.world;
  store.commands = state.commands;
  for (const m of state.messages) store.messages.set(m.id, m);
  const saved = new URLSearchParams(location.hash.slice(1));
  store.me = state.world.users.find((u) => u.id === saved.get('user'))?.id ?? state.world.users[0]?.id ?? '';
  store.locale = saved.get('lang') === 'zh-CN' ? 'zh-CN' : 'en-US';
  store.channelId = state.world.channels[1]?.id ?? state.world.channels[0]?.id ?? '';
}

export function me(): ViewUser {
  return store.world.users.find((u) => u.id === store.me) as ViewUser;
}

export function myDm(): string {
  return store.world.dms[store.me] ?? '';
}

export function inDm(): boolean {
  return store.channelId === myDm();
}

/** Whether the current person sees `m` (ephemeral messages only for whom they are for; a DM only for its person). */
export function visible(m: ViewMessage): boolean {
  if (m.deleted) return false;
  if (m.visibleTo && m.visibleTo !== store.me) return false;
  return m.channelId === store.channelId;
}

export function nameOf(userId: string): string {
  if (userId === store.world.bot.id) return store.world.bot.username;
  return store.world.users.find((u) => u.id === userId)?.username ?? `user ${userId.slice(-4)}`;
}

/** Acts as the current person, in the current place and language; resolves with the server's answer. */
export async function post(kind: string, body: Record<string, unknown>): Promise<Json> {
  const res = await fetch(`/api/${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: store.me, locale: store.locale, channelId: store.channelId, ...body }),
  });
  const answer = await res.json();
  if (!res.ok) throw new Error(answer.error ?? res.statusText);
  return answer;
}
