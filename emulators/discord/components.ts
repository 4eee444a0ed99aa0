/** Interaction data for button clicks, select menus and modal submits, checked against what the bot sent. */
import type { InteractionContext } from './interactions.js';
import { serializeMessage } from './messages.js';
import type { FakeState, StoredMessage } from './state.js';
import type { ApiJson, FakeAttachmentSpec, FakeUser } from './types.js';

/** Components depth-first: rows, labels, sections (accessory), containers. */
function* walk(components: ApiJson[]): Generator<ApiJson> {
  for (const c of components) {
    yield c;
    if (Array.isArray(c?.components)) yield* walk(c.components);
    if (c?.component) yield* walk([c.component]);
    if (c?.accessory) yield* walk([c.accessory]);
  }
}

function liveMessage(state: FakeState, messageId: string): StoredMessage {
  const message = state.messages.get(messageId);
  if (!message || message.deleted) throw new Error(`FakeDiscord: no live bot message ${messageId}`);
  return message;
}

/** Data, context and top-level `message` of a click on `customId` of a bot message (must exist, enabled). */
export function componentInteraction(
  state: FakeState,
  spec: { messageId: string; customId: string; user: FakeUser; locale?: string; memberPermissions?: string },
  values?: string[],
): { ctx: InteractionContext; data: ApiJson; extra: ApiJson } {
  const message = liveMessage(state, spec.messageId);
  const all = [...walk(message.components)];
  const component = all.find((c) => c?.custom_id === spec.customId);
  if (!component) {
    const ids = all.map((c) => c?.custom_id).filter(Boolean);
    throw new Error(
      `FakeDiscord: message ${message.id} has no component '${spec.customId}' (has: ${ids.join(', ')})`,
    );
  }
  if (component.disabled) throw new Error(`FakeDiscord: component '${spec.customId}' is disabled`);
  const isSelect = [3, 5, 6, 7, 8].includes(component.type);
  if (values === undefined ? component.type !== 2 : !isSelect) {
    throw new Error(`FakeDiscord: component '${spec.customId}' has type ${component.type}`);
  }
  if (values && component.type === 3) {
    const allowed = new Set((component.options ?? []).map((o: ApiJson) => o.value));
    const bad = values.filter((v) => !allowed.has(v));
    if (bad.length) throw new Error(`FakeDiscord: select '${spec.customId}' has no option ${bad.join(', ')}`);
  }
  return {
    ctx: {
      user: spec.user,
      guildId: message.guildId,
      channelId: message.channelId,
      locale: spec.locale,
      memberPermissions: spec.memberPermissions,
      sourceMessageId: message.id,
    },
    data: { custom_id: spec.customId, component_type: component.type, ...(values ? { values } : {}) },
    extra: { message: serializeMessage(state, message) },
  };
}

export interface ModalSubmitSpec {
  customId: string;
  fields: Record<string, string>;
  files?: Record<string, FakeAttachmentSpec[]>;
  user: FakeUser;
  guildId?: string;
  channelId?: string;
  messageId?: string;
  locale?: string;
}

/**
 * Data and context of a modal submit. When the bot showed a modal with this custom_id, the answer mirrors
 * its layout (rows or labels) and is checked against it (unknown ids, required inputs, lengths); otherwise
 * each field and file becomes a label.
 */
export function modalInteraction(
  state: FakeState,
  spec: ModalSubmitSpec,
): { ctx: InteractionContext; data: ApiJson; extra: ApiJson } {
  const shown = state.modals.findLast((m) => m.customId === spec.customId);
  const files = spec.files ?? {};
  const stored = new Map(
    Object.entries(files).map(([id, list]) => [id, list.map((f) => state.storeAttachment(f))]),
  );
  let nextId = 1;
  const used = new Set<string>();
  const answer = (c: ApiJson): ApiJson => {
    const id = c.id ?? nextId++;
    if (c.type === 4) {
      const value = spec.fields[c.custom_id] ?? '';
      used.add(c.custom_id);
      if (c.required !== false && value === '')
        throw new Error(`FakeDiscord: required input '${c.custom_id}' is empty`);
      if (value && (value.length > (c.max_length ?? 4000) || value.length < (c.min_length ?? 0))) {
        throw new Error(`FakeDiscord: input '${c.custom_id}' length ${value.length} is out of its bounds`);
      }
      return { type: 4, id, custom_id: c.custom_id, value };
    }
    if (c.type === 19) {
      used.add(c.custom_id);
      return {
        type: 19,
        id,
        custom_id: c.custom_id,
        values: (stored.get(c.custom_id) ?? []).map((a) => a.id),
      };
    }
    if (c.type === 3) {
      used.add(c.custom_id);
      const v = spec.fields[c.custom_id];
      return { type: 3, id, custom_id: c.custom_id, values: v === undefined ? [] : [v] };
    }
    return { type: c.type, id };
  };
  const layout: ApiJson[] = shown?.data?.components ?? [
    ...Object.keys(spec.fields).map((k) => ({
      type: 18,
      component: { type: 4, custom_id: k, required: false },
    })),
    ...Object.keys(files).map((k) => ({ type: 18, component: { type: 19, custom_id: k } })),
  ];
  const components = layout.map((top) => {
    if (top.type === 1)
      return { type: 1, id: top.id ?? nextId++, components: (top.components ?? []).map(answer) };
    if (top.type === 18) return { type: 18, id: top.id ?? nextId++, component: answer(top.component) };
    return answer(top);
  });
  const unknown = [...Object.keys(spec.fields), ...Object.keys(files)].filter((k) => !used.has(k));
  if (unknown.length)
    throw new Error(`FakeDiscord: modal '${spec.customId}' has no input ${unknown.join(', ')}`);
  const attachments = [...stored.values()].flat();
  const message = spec.messageId ? liveMessage(state, spec.messageId) : undefined;
  const opener = shown ? state.interactions.get(shown.interactionId) : undefined;
  const place = spec.guildId || spec.channelId ? spec : (message ?? opener);
  return {
    ctx: {
      user: spec.user,
      guildId: place?.guildId ?? null,
      channelId: place?.channelId ?? null,
      locale: spec.locale,
      sourceMessageId: message?.id ?? null,
    },
    data: {
      custom_id: spec.customId,
      components,
      ...(attachments.length
        ? {
            resolved: {
              attachments: Object.fromEntries(attachments.map((a) => [a.id, state.attachmentJson(a)])),
            },
          }
        : {}),
    },
    extra: message ? { message: serializeMessage(state, message) } : {},
  };
}
