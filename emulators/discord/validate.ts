/** Discord's size and shape limits on message and modal bodies, answered with its error shapes. */
import { apiError, type Reply } from './http.js';
import type { ApiJson, RestFile } from './types.js';

const IS_COMPONENTS_V2 = 32768;

type Problems = Record<string, string>;

function formError(problems: Problems): Reply | null {
  const keys = Object.keys(problems);
  if (keys.length === 0) return null;
  const errors = Object.fromEntries(
    keys.map((k) => [k, { _errors: [{ code: 'BASE_TYPE_INVALID', message: problems[k] }] }]),
  );
  return apiError(400, 50035, 'Invalid Form Body', { errors });
}

function maxLen(problems: Problems, path: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) problems[path] = `Must be ${max} or fewer in length.`;
}

/** Walks components depth-first (rows, labels, sections, containers). */
function* walk(components: ApiJson[], path: string): Generator<[ApiJson, string]> {
  for (const [i, c] of components.entries()) {
    const here = `${path}.${i}`;
    yield [c, here];
    if (Array.isArray(c?.components)) yield* walk(c.components, `${here}.components`);
    if (c?.component) yield* walk([c.component], `${here}.component`);
    if (c?.accessory) yield* walk([c.accessory], `${here}.accessory`);
  }
}

function checkComponents(problems: Problems, components: ApiJson[], v2: boolean): void {
  let count = 0;
  for (const [c, path] of walk(components, 'components')) {
    count += 1;
    maxLen(problems, `${path}.custom_id`, c.custom_id, 100);
    if (c.type === 2) {
      maxLen(problems, `${path}.label`, c.label, 80);
      if (!c.label && !c.emoji && c.style !== 6) problems[path] = 'A button needs a label or an emoji.';
      if (c.style === 5 ? !c.url : c.style !== 6 && !c.custom_id) problems[`${path}.custom_id`] = 'Required.';
    }
    if (c.type === 3 && Array.isArray(c.options) && c.options.length > 25)
      problems[`${path}.options`] = 'Max 25.';
  }
  if (v2) {
    if (count > 40) problems.components = 'Must be 40 or fewer in length.';
    return;
  }
  if (components.length > 5) problems.components = 'Must be 5 or fewer in length.';
  for (const [i, row] of components.entries()) {
    const inner: ApiJson[] = Array.isArray(row?.components) ? row.components : [];
    if (row?.type !== 1) problems[`components.${i}`] = 'Top-level components must be action rows.';
    else if (inner.length < 1 || inner.length > 5)
      problems[`components.${i}.components`] = 'Must hold 1 to 5.';
  }
}

function checkEmbeds(problems: Problems, embeds: ApiJson[]): void {
  if (embeds.length > 10) problems.embeds = 'Must be 10 or fewer in length.';
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    const p = `embeds.${i}`;
    maxLen(problems, `${p}.title`, e?.title, 256);
    maxLen(problems, `${p}.description`, e?.description, 4096);
    maxLen(problems, `${p}.footer.text`, e?.footer?.text, 2048);
    maxLen(problems, `${p}.author.name`, e?.author?.name, 256);
    const fields: ApiJson[] = Array.isArray(e?.fields) ? e.fields : [];
    if (fields.length > 25) problems[`${p}.fields`] = 'Must be 25 or fewer in length.';
    for (const [j, f] of fields.entries()) {
      maxLen(problems, `${p}.fields.${j}.name`, f?.name, 256);
      maxLen(problems, `${p}.fields.${j}.value`, f?.value, 1024);
      total += String(f?.name ?? '').length + String(f?.value ?? '').length;
    }
    for (const t of [e?.title, e?.description, e?.footer?.text, e?.author?.name])
      total += String(t ?? '').length;
  }
  if (total > 6000) problems.embeds = 'Embed size exceeds maximum size of 6000';
}

/**
 * Checks a message body (create when `create`, else edit): content, embeds, components, empty message and
 * file sizes. Returns the error reply, or null when Discord would accept it.
 */
export function validateMessage(
  body: ApiJson,
  files: RestFile[],
  create: boolean,
  uploadLimit: number,
): Reply | null {
  const b = body ?? {};
  const tooBig = files.find((f) => f.data.length > uploadLimit);
  if (tooBig) return apiError(413, 40005, 'Request entity too large');
  const problems: Problems = {};
  maxLen(problems, 'content', b.content, 2000);
  if (Array.isArray(b.embeds)) checkEmbeds(problems, b.embeds);
  if (Array.isArray(b.components))
    checkComponents(problems, b.components, ((b.flags ?? 0) & IS_COMPONENTS_V2) !== 0);
  const invalid = formError(problems);
  if (invalid) return invalid;
  const empty =
    !b.content &&
    !b.embeds?.length &&
    !b.components?.length &&
    !files.length &&
    !b.sticker_ids?.length &&
    !b.poll;
  return create && empty ? apiError(400, 50006, 'Cannot send an empty message') : null;
}

/** Checks a modal (callback type 9): custom_id, title ≤ 45, 1 to 5 top-level components. */
export function validateModal(data: ApiJson): Reply | null {
  const problems: Problems = {};
  if (!data?.custom_id) problems['data.custom_id'] = 'Required.';
  if (!data?.title) problems['data.title'] = 'Required.';
  maxLen(problems, 'data.title', data?.title, 45);
  const components: ApiJson[] = Array.isArray(data?.components) ? data.components : [];
  if (components.length < 1 || components.length > 5) problems['data.components'] = 'Must hold 1 to 5.';
  for (const [c, path] of walk(components, 'data.components')) {
    maxLen(problems, `${path}.custom_id`, c.custom_id, 100);
    maxLen(problems, `${path}.value`, c.value, 4000);
  }
  return formError(problems);
}
