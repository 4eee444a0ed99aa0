/**
 * What Discord checks beyond the OpenAPI document (see spec.ts, checked for every route in rest.ts): upload
 * sizes, embed totals, the message rules (messageRules.ts), an empty message after a create or an edit, and
 * the modal rules (modalRules.ts). Answered with Discord's error shapes.
 */
import { type FormIssue, formError } from './formError.js';
import { apiError, type Reply } from './http.js';
import { messageRules, type Outcome } from './messageRules.js';
import { modalRules } from './modalRules.js';
import type { ApiJson, FakeAttachment, RestFile } from './types.js';

function embedIssues(embeds: ApiJson[]): FormIssue[] {
  let total = 0;
  for (const e of embeds) {
    for (const f of Array.isArray(e?.fields) ? e.fields : [])
      total += String(f?.name ?? '').length + String(f?.value ?? '').length;
    for (const t of [e?.title, e?.description, e?.footer?.text, e?.author?.name])
      total += String(t ?? '').length;
  }
  return total > 6000
    ? [{ path: ['embeds'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Embed size exceeds maximum size of 6000' }]
    : [];
}

/** The message a create or edit would leave (edits change only the fields present, like `editMessage`). */
export interface Existing {
  content: string;
  embeds: ApiJson[];
  components: ApiJson[];
  flags: number;
  attachments: FakeAttachment[];
}

function outcomeOf(b: ApiJson, files: RestFile[], before: Existing | null): Outcome {
  const kept = (before?.attachments ?? []).filter(
    (a) => !Array.isArray(b.attachments) || b.attachments.some((r: ApiJson) => String(r?.id) === a.id),
  );
  const named = new Map<string, string>();
  for (const ref of Array.isArray(b.attachments) ? b.attachments : [])
    if (typeof ref?.filename === 'string') named.set(String(ref.id), ref.filename);
  const uploads = files.map((f, i) => named.get(/\[(\d+)\]/.exec(f.field)?.[1] ?? String(i)) ?? f.filename);
  const pick = <T>(key: string, fallback: T, value: (v: unknown) => T): T =>
    key in b ? value(b[key]) : before ? fallback : value(undefined);
  return {
    content: pick('content', before?.content ?? '', (v) => (typeof v === 'string' ? v : '')),
    embeds: pick('embeds', before?.embeds ?? [], (v) => (Array.isArray(v) ? v : [])),
    components: pick('components', before?.components ?? [], (v) => (Array.isArray(v) ? v : [])),
    flags: typeof b.flags === 'number' ? b.flags | ((before?.flags ?? 0) & 32768) : (before?.flags ?? 0),
    attachmentNames: [...kept.map((a) => a.filename), ...uploads],
  };
}

/**
 * Checks a message body: a create when `before` is null, else an edit of `before`. Returns the error reply,
 * or null when Discord would accept it. `base` prefixes the paths (`['data']` for an interaction callback).
 */
export function validateMessage(
  body: ApiJson,
  files: RestFile[],
  before: Existing | null,
  uploadLimit: number,
  base: string[] = [],
): Reply | null {
  const b = body ?? {};
  if (files.some((f) => f.data.length > uploadLimit)) return apiError(413, 40005, 'Request entity too large');
  const after = outcomeOf(b, files, before);
  const issues = [...embedIssues(after.embeds), ...messageRules(b, files, before, after)];
  const invalid = formError(issues.map((i) => ({ ...i, path: [...base, ...i.path] })));
  if (invalid) return invalid;
  const empty =
    !after.content &&
    !after.embeds.length &&
    !after.components.length &&
    !after.attachmentNames.length &&
    !b.sticker_ids?.length &&
    !b.poll;
  return empty ? apiError(400, 50006, 'Cannot send an empty message') : null;
}

/** Checks a modal (callback type 9) answered to an interaction of `interactionType`. */
export function validateModal(data: ApiJson, interactionType: number): Reply | null {
  return formError(modalRules(data, interactionType));
}
