/**
 * Documented message rules the OpenAPI document cannot express: custom_ids unique within a message, a select
 * menu alone in its row, classic layouts (5 rows of 1–5) without the Components V2 flag, no content or embeds
 * with it (and no taking it back), known `attachments[].id`s, `attachment://` names that exist.
 */
import type { FormIssue } from './formError.js';
import type { ApiJson, FakeAttachment, RestFile } from './types.js';

export const IS_COMPONENTS_V2 = 32768;
const SELECTS = new Set([3, 5, 6, 7, 8]);
/** Component types that exist only in Components V2 messages. */
const V2_ONLY = new Set([9, 10, 11, 12, 13, 14, 17]);

/** Components depth-first with their paths (rows, labels, sections and their accessory, containers). */
export function* walkComponents(
  components: ApiJson[],
  path: (string | number)[],
): Generator<[ApiJson, (string | number)[]]> {
  for (const [i, c] of components.entries()) yield* visit(c, [...path, i]);
}

function* visit(c: ApiJson, here: (string | number)[]): Generator<[ApiJson, (string | number)[]]> {
  yield [c, here];
  if (Array.isArray(c?.components)) yield* walkComponents(c.components, [...here, 'components']);
  if (c?.component) yield* visit(c.component, [...here, 'component']);
  if (c?.accessory) yield* visit(c.accessory, [...here, 'accessory']);
}

/** Every custom_id once: Discord refuses a message or modal that repeats one. */
export function duplicateIds(components: ApiJson[], base: (string | number)[]): FormIssue[] {
  const seen = new Set<string>();
  const issues: FormIssue[] = [];
  for (const [c, path] of walkComponents(components, base)) {
    if (typeof c?.custom_id !== 'string') continue;
    if (seen.has(c.custom_id))
      issues.push({
        path: [...path, 'custom_id'],
        code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
        message: 'Component custom id cannot be duplicated',
      });
    seen.add(c.custom_id);
  }
  return issues;
}

function layoutIssues(components: ApiJson[], v2: boolean): FormIssue[] {
  const issues: FormIssue[] = [];
  const width = (path: (string | number)[]) => ({
    path,
    code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
    message: 'The specified component exceeds the maximum width',
  });
  let count = 0;
  for (const [c, path] of walkComponents(components, ['components'])) {
    count += 1;
    if (c?.type === 1 && Array.isArray(c.components) && c.components.length > 1) {
      const select = c.components.findIndex((x: ApiJson) => SELECTS.has(x?.type));
      if (select >= 0) issues.push(width([...path, 'components', select]));
    }
    if (!v2 && V2_ONLY.has(c?.type))
      issues.push({
        path: [...path, 'type'],
        code: 'BASE_TYPE_CHOICES',
        message: 'Requires the IS_COMPONENTS_V2 flag.',
      });
    if (c?.type === 2 && !c.label && !c.emoji && c.style !== 6)
      issues.push({
        path,
        code: 'BUTTON_COMPONENT_MISSING_LABEL',
        message: 'A button needs a label or an emoji.',
      });
  }
  if (v2 && count > 40)
    issues.push({
      path: ['components'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 40 or fewer in length.',
    });
  if (!v2) {
    if (components.length > 5)
      issues.push({
        path: ['components'],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 5 or fewer in length.',
      });
    for (const [i, row] of components.entries())
      if (row?.type !== 1)
        issues.push({
          path: ['components', i, 'type'],
          code: 'BASE_TYPE_CHOICES',
          message: 'Must be an action row.',
        });
  }
  return issues;
}

/** What a message becomes after this create or edit (Discord's merge: only present fields change). */
export interface Outcome {
  content: string;
  embeds: ApiJson[];
  components: ApiJson[];
  flags: number;
  attachmentNames: string[];
}

/** Rules on the body, checked against the message it produces (`before` for an edit). */
export function messageRules(
  body: ApiJson,
  files: RestFile[],
  before: { flags: number; attachments: FakeAttachment[] } | null,
  after: Outcome,
): FormIssue[] {
  const b = body ?? {};
  const v2 = (after.flags & IS_COMPONENTS_V2) !== 0;
  const issues = [...duplicateIds(after.components, ['components']), ...layoutIssues(after.components, v2)];
  if (
    before &&
    (before.flags & IS_COMPONENTS_V2) !== 0 &&
    typeof b.flags === 'number' &&
    !(b.flags & IS_COMPONENTS_V2)
  )
    issues.push({
      path: ['flags'],
      code: 'MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG',
      message: 'The IS_COMPONENTS_V2 flag cannot be removed.',
    });
  if (v2 && after.content)
    issues.push({
      path: ['content'],
      code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
      message: 'content cannot be used with IS_COMPONENTS_V2.',
    });
  if (v2 && after.embeds.length)
    issues.push({
      path: ['embeds'],
      code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
      message: 'embeds cannot be used with IS_COMPONENTS_V2.',
    });
  const uploads = new Set(files.map((f, i) => /\[(\d+)\]/.exec(f.field)?.[1] ?? String(i)));
  const kept = new Set((before?.attachments ?? []).map((a) => a.id));
  for (const [i, ref] of (Array.isArray(b.attachments) ? b.attachments : []).entries()) {
    const id = String(ref?.id);
    if (!uploads.has(id) && !kept.has(id))
      issues.push({
        path: ['attachments', i, 'id'],
        code: 'ATTACHMENT_NOT_FOUND',
        message: `Unknown attachment ${id}.`,
      });
  }
  issues.push(...attachmentUrls(after));
  return issues;
}

/** `attachment://name` must name a file of the message (uploaded now, or kept). */
function attachmentUrls(after: Outcome): FormIssue[] {
  const names = new Set(after.attachmentNames);
  const issues: FormIssue[] = [];
  const check = (url: unknown, path: (string | number)[]) => {
    if (typeof url !== 'string' || !url.startsWith('attachment://')) return;
    if (!names.has(url.slice('attachment://'.length)))
      issues.push({
        path,
        code: 'UNFURLED_MEDIA_ITEM_ATTACHMENT_NOT_FOUND',
        message: `No attachment named ${url}.`,
      });
  };
  for (const [i, e] of after.embeds.entries()) {
    check(e?.image?.url, ['embeds', i, 'image', 'url']);
    check(e?.thumbnail?.url, ['embeds', i, 'thumbnail', 'url']);
  }
  for (const [c, path] of walkComponents(after.components, ['components'])) {
    check(c?.media?.url, [...path, 'media', 'url']);
    check(c?.file?.url, [...path, 'file', 'url']);
    for (const [j, item] of (Array.isArray(c?.items) ? c.items : []).entries())
      check(item?.media?.url, [...path, 'items', j, 'media', 'url']);
  }
  return issues;
}
