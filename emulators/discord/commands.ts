/** Slash command interaction data: options, attachment options and their `resolved` entries. */
import { snowflake } from './ids.js';
import type { FakeState } from './state.js';
import type { ApiJson, FakeAttachmentSpec } from './types.js';

/** A slash command option as tests write it (type 11 may omit `value`; see {@link commandData}). */
export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: CommandOption[];
  /** Autocomplete: the option being typed. */
  focused?: boolean;
}

const ATTACHMENT = 11;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

/** The id of a registered command named `name` (guild commands first), else a stable made-up id. */
function commandIdFor(
  state: FakeState,
  name: string,
  guildId: string | null,
): { id: string; guildId?: string } {
  const guildCmd = guildId ? state.commands.guilds.get(guildId)?.find((c) => c.name === name) : undefined;
  if (guildCmd && guildId) return { id: String(guildCmd.id), guildId };
  const global = state.commands.global.find((c) => c.name === name);
  if (global) return { id: String(global.id) };
  const id = state.commandIds.get(name) ?? snowflake();
  state.commandIds.set(name, id);
  return { id };
}

/** The option list where new leaf options go: inside the (innermost) subcommand if there is one. */
function leafOptions(options: CommandOption[]): CommandOption[] {
  const sub = options.find((o) => o.type === SUBCOMMAND || o.type === SUBCOMMAND_GROUP);
  if (!sub) return options;
  sub.options ??= [];
  return leafOptions(sub.options);
}

function* attachmentOptions(options: CommandOption[]): Generator<CommandOption> {
  for (const o of options) {
    if (o.type === ATTACHMENT) yield o;
    if (o.options) yield* attachmentOptions(o.options);
  }
}

/**
 * The `data` of a chat input command. Attachments are stored and bound to type-11 options: an attachment
 * with `option` binds to that option (added if missing); a type-11 option whose value is missing takes the
 * next unbound attachment, one whose value is a filename takes that file.
 */
export function commandData(
  state: FakeState,
  name: string,
  guildId: string | null,
  rawOptions: CommandOption[] = [],
  attachments: FakeAttachmentSpec[] = [],
): ApiJson {
  const options: CommandOption[] = structuredClone(rawOptions);
  const stored = attachments.map((spec) => ({ spec, a: state.storeAttachment(spec), bound: false }));
  const slots = [...attachmentOptions(options)];
  for (const s of stored) {
    if (!s.spec.option) continue;
    const slot = slots.find((o) => o.name === s.spec.option);
    if (slot) slot.value = s.a.id;
    else leafOptions(options).push({ name: s.spec.option, type: ATTACHMENT, value: s.a.id });
    s.bound = true;
  }
  for (const slot of slots) {
    const byName = stored.find((s) => !s.bound && s.a.filename === slot.value);
    const next = byName ?? (slot.value === undefined ? stored.find((s) => !s.bound) : undefined);
    if (!next) continue;
    slot.value = next.a.id;
    next.bound = true;
  }
  const { id, guildId: commandGuild } = commandIdFor(state, name, guildId);
  const resolved = Object.fromEntries(
    stored.map(({ a }) => [a.id, { ...state.attachmentJson(a), ephemeral: true }]),
  );
  return {
    id,
    name,
    type: 1,
    ...(commandGuild ? { guild_id: commandGuild } : {}),
    ...(options.length ? { options } : {}),
    ...(stored.length ? { resolved: { attachments: resolved } } : {}),
  };
}
