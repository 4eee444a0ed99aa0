/**
 * Discord's published OpenAPI document (the `discord-api-spec` package, as zod schemas): the schema each route's
 * request body must match. Objects are strict (unknown keys refused) inside components, embeds, modals and
 * command options, where Discord validates every field; top-level keys of a body (or of a command) that the
 * document does not list are ignored, as Discord ignores them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FormIssue } from './formError.js';

// biome-ignore lint/suspicious/noExplicitAny: the generated module is plain JS with zod/mini schemas.
type Schema = any;
type SpecModule = Record<string, Schema>;

/**
 * The package builds its objects with a module-level `zObject` when it is evaluated, so strictness cannot be
 * switched afterwards (`setStrictObject` only affects later definitions). Evaluate a second copy whose objects
 * are `z.strictObject` from the start.
 */
async function loadStrictSpec(): Promise<SpecModule> {
  const file = fileURLToPath(import.meta.resolve('discord-api-spec/zod'));
  const zodMini = import.meta.resolve('zod/mini');
  const source = readFileSync(file, 'utf8')
    .replace('let zObject = z.object;', 'let zObject = z.strictObject;')
    .replace('from "zod/mini"', `from ${JSON.stringify(zodMini)}`);
  const url = `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`;
  return (await import(/* @vite-ignore */ url)) as SpecModule;
}

const spec = await loadStrictSpec();

function schema(name: string): Schema {
  const found = spec[name];
  if (!found) throw new Error(`discord-api-spec has no ${name}`);
  return found;
}

/** Interaction callback body by its `type`. */
const CALLBACKS: Record<number, string> = {
  1: 'PongInteractionCallbackRequestSchema',
  4: 'CreateMessageInteractionCallbackRequestSchema',
  5: 'CreateMessageInteractionCallbackRequestSchema',
  6: 'UpdateMessageInteractionCallbackRequestSchema',
  7: 'UpdateMessageInteractionCallbackRequestSchema',
  8: 'ApplicationCommandAutocompleteCallbackRequestSchema',
  9: 'ModalInteractionCallbackRequestSchema',
  12: 'LaunchActivityInteractionCallbackRequestSchema',
};

/** Route (method + pattern of `rest.ts`) → the body schema, or a chooser when the body says which one. */
const ROUTE_SCHEMAS: Record<string, string | ((body: unknown) => string | null)> = {
  'POST /interactions/:interaction/:token/callback': (body) =>
    CALLBACKS[Number((body as { type?: unknown } | null)?.type)] ?? null,
  'POST /webhooks/:app/:token': 'IncomingWebhookRequestPartialSchema',
  'PATCH /webhooks/:app/:token/messages/:message': 'IncomingWebhookUpdateRequestPartialSchema',
  'POST /channels/:channel/messages': 'MessageCreateRequestSchema',
  'PATCH /channels/:channel/messages/:message': 'MessageEditRequestPartialSchema',
  'POST /users/@me/channels': 'CreatePrivateChannelRequestSchema',
  'PUT /applications/:app/commands': 'ApplicationCommandUpdateRequestSchema[]',
  'PUT /applications/:app/guilds/:guild/commands': 'ApplicationCommandUpdateRequestSchema[]',
};

/** Top-level keys of message-like bodies the document does not list: ignored, as Discord ignores them. */
function knownKeysOnly(s: Schema, body: unknown): unknown {
  const shape = s?._zod?.def?.shape;
  if (!shape || !body || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => k in shape));
}

interface ZodIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
  origin?: string;
  keys?: string[];
  expected?: string;
  errors?: ZodIssue[][];
}

function valueAt(body: unknown, path: (string | number)[]): unknown {
  let v: unknown = body;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/**
 * Discord's codes and wording for zod's issues; unions report the branch that came closest. The document
 * types 64-bit integers (permissions) as numbers and snowflakes as strings; Discord takes either form of both
 * (discord.js sends `attachments[].id` as the number of the file part).
 */
function toIssues(issues: ZodIssue[], body: unknown, base: PropertyKey[] = []): FormIssue[] {
  return issues.flatMap((i) => {
    const path = [...base, ...i.path].map((p) => (typeof p === 'number' ? p : String(p)));
    if (i.code === 'invalid_union' && i.errors?.length) {
      const best = [...i.errors].map((e) => toIssues(e, body, path)).sort((a, b) => a.length - b.length)[0];
      return best ?? [];
    }
    const value = valueAt(body, path);
    if (
      i.code === 'invalid_type' &&
      typeof value === 'string' &&
      /^\d+$/.test(value) &&
      i.expected === 'number'
    )
      return [];
    if (
      i.code === 'invalid_type' &&
      Number.isSafeInteger(value) &&
      (value as number) >= 0 &&
      i.expected === 'string'
    )
      return [];
    if (i.code === 'unrecognized_keys')
      return (i.keys ?? []).map((k) => ({
        path: [...path, k],
        code: 'UNKNOWN_FIELD',
        message: 'Unknown field.',
      }));
    if (i.code === 'too_big' && i.origin === 'string')
      return [{ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${i.maximum} or fewer in length.` }];
    if (i.code === 'too_small' && i.origin === 'string')
      return [{ path, code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${i.minimum} or more in length.` }];
    if (i.code === 'too_big' && i.origin === 'array')
      return [{ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${i.maximum} or fewer in length.` }];
    if (i.code === 'too_small' && i.origin === 'array')
      return [{ path, code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${i.minimum} or more in length.` }];
    if (i.code === 'invalid_type' && value === undefined)
      return [{ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }];
    return [
      {
        path,
        code: 'BASE_TYPE_INVALID',
        message: i.expected ? `Must be of type ${i.expected}.` : 'Invalid value.',
      },
    ];
  });
}

/** Checks `body` of `method pattern` against the document; [] when it conforms or no schema applies. */
export function specIssues(method: string, pattern: string, body: unknown): FormIssue[] {
  const entry = ROUTE_SCHEMAS[`${method} ${pattern}`];
  const name = typeof entry === 'function' ? entry(body) : entry;
  if (!name) return [];
  if (name.endsWith('[]')) {
    const item = schema(name.slice(0, -2));
    if (!Array.isArray(body)) return [{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
    return body.flatMap((b, i) => {
      const r = item.safeParse(knownKeysOnly(item, b));
      return r.success ? [] : toIssues(r.error.issues, body, [i]);
    });
  }
  const s = schema(name);
  const top = typeof entry === 'function' ? body : knownKeysOnly(s, body);
  const r = s.safeParse(top ?? {});
  if (r.success) return [];
  // A callback's `data` is a message body: its unknown top-level keys are ignored too.
  const issues = toIssues(r.error.issues, top);
  return typeof entry === 'function'
    ? issues.filter((i) => !(i.code === 'UNKNOWN_FIELD' && i.path.length === 2 && i.path[0] === 'data'))
    : issues;
}
