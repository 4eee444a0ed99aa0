/**
 * What the page sees of the local Discord: messages (bot and people), the registered commands and the pop-ups,
 * as {@link ServerEvent}s after each change. It listens to the emulator's `onCall` hook and sends what changed.
 */
import type { FakeDiscord, FakeMessage } from '../emulators/discord/index.js';
import type { Json, ServerEvent, ViewAttachment, ViewMessage, ViewModal } from './shared.js';

/** Who injected an interaction, and from where (to address ephemeral replies and pop-ups). */
export interface Origin {
  userId: string;
  channelId: string;
  command: string | null;
  messageId: string | null;
}

export class Live {
  /** Interactions the page injected, by id. */
  readonly origins = new Map<string, Origin>();
  private readonly listeners = new Set<(e: ServerEvent) => void>();
  private readonly sent = new Map<string, string>();
  private commandsSent = '';
  private modalsSent = 0;
  private scheduled = false;
  private readonly unsubscribe: () => void;

  /** `rewrite` maps a URL outside the local Discord (e.g. an upstream preview) to one the page can load. */
  constructor(
    private readonly discord: FakeDiscord,
    private readonly rewrite: (url: string) => string,
  ) {
    this.unsubscribe = discord.onCall(() => this.changed());
  }

  subscribe(listener: (e: ServerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  /** Every command the bot registered (global and per server). */
  commands(): Json[] {
    const { global, guilds } = this.discord.commands;
    return [...global, ...[...guilds.values()].flat()];
  }

  messages(): ViewMessage[] {
    const all = [...this.discord.messages.values(), ...this.discord.userMessages.values()];
    return all.map((m) => this.view(m)).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /** Sends what changed since last time (batched: many calls in a tick → one look). */
  changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  notice(userId: string, text: string): void {
    this.emit({ kind: 'notice', userId, text });
  }

  private flush(): void {
    for (const m of [...this.discord.messages.values(), ...this.discord.userMessages.values()]) {
      const view = this.view(m);
      const key = JSON.stringify(view);
      if (this.sent.get(m.id) === key) continue;
      this.sent.set(m.id, key);
      this.emit({ kind: 'message', message: view });
    }
    const commands = this.commands();
    const key = JSON.stringify(commands);
    if (key !== this.commandsSent) {
      this.commandsSent = key;
      this.emit({ kind: 'commands', commands });
    }
    const modals = this.discord.modals;
    for (const shown of modals.slice(this.modalsSent)) {
      const origin = this.origins.get(shown.interactionId);
      if (!origin) continue;
      const modal: ViewModal = {
        userId: origin.userId,
        customId: shown.customId,
        title: String(shown.data?.title ?? ''),
        components: shown.data?.components ?? [],
        messageId: origin.messageId,
        channelId: origin.channelId,
      };
      this.emit({ kind: 'modal', modal });
    }
    this.modalsSent = modals.length;
  }

  private emit(e: ServerEvent): void {
    for (const l of this.listeners) l(e);
  }

  private view(m: FakeMessage): ViewMessage {
    const origin = m.interactionId ? this.origins.get(m.interactionId) : undefined;
    const attachments: ViewAttachment[] = m.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      url: `/files/${a.id}/${encodeURIComponent(a.filename)}`,
      contentType: a.contentType,
      size: a.size,
    }));
    const resolve = (url: unknown): unknown => {
      if (typeof url !== 'string') return url;
      if (url.startsWith('attachment://')) {
        const name = url.slice('attachment://'.length);
        return attachments.find((a) => a.filename === name)?.url ?? url;
      }
      return this.rewrite(url);
    };
    const embeds = m.embeds.map((e: Json) => ({
      ...e,
      ...(e.image ? { image: { ...e.image, url: resolve(e.image.url) } } : {}),
      ...(e.thumbnail ? { thumbnail: { ...e.thumbnail, url: resolve(e.thumbnail.url) } } : {}),
    }));
    const ref = m.messageReference?.message_id;
    return {
      id: m.id,
      channelId: m.channelId,
      authorId: m.authorId,
      content: m.content,
      embeds,
      components: m.components,
      attachments,
      visibleTo: m.ephemeral ? (origin?.userId ?? null) : null,
      loading: (m.flags & 128) !== 0,
      edited: m.editCount > ((m.history[0]?.flags ?? 0) & 128 ? 1 : 0),
      deleted: m.deleted,
      createdAt: Number((BigInt(m.id) >> 22n) + 1420070400000n),
      replyTo: typeof ref === 'string' ? ref : null,
      via: origin ? { userId: origin.userId, command: origin.command } : null,
    };
  }
}
