import { LIMITS } from '../constants.js';

/** Version prefix of every custom_id the bot builds; anything else is foreign or stale. */
export const CUSTOM_ID_PREFIX = 'mj1';

/** Kinds that carry only a job id. */
export const JOB_ONLY_KINDS = [
  'pickall',
  'redescribe',
  'remix',
  'seed',
  'retry',
  'check',
  'cancel',
  'delete',
  'dm',
] as const;
/** A kind whose only argument is the job id. */
export type JobOnlyKind = (typeof JOB_ONLY_KINDS)[number];

/**
 * The modals the bot shows; their custom_id names the form. `press`: a button of a finished job pressed with the
 * remix preference on (the edited prompt goes with the action).
 */
export const MODAL_FORMS = ['zoom', 'region', 'remix', 'pick', 'press'] as const;
/** Which modal a modal custom_id belongs to. */
export type ModalForm = (typeof MODAL_FORMS)[number];

/** Everything a button or modal custom_id can say. */
export type CustomIdData =
  /** An upstream button: `job.task.buttons[index]`. */
  | { kind: 'btn'; jobId: string; index: number }
  /** Describe/shorten: use prompt n (1-based; opens a modal). */
  | { kind: 'pick'; jobId: string; n: number }
  | { kind: JobOnlyKind; jobId: string }
  /** A modal's custom_id; `index` is the button index (zoom/region/remix/press) or the prompt number (pick). */
  | { kind: 'modal'; form: ModalForm; jobId: string; index: number }
  | { kind: 'settings'; field: string };

/** Every kind of custom_id. */
export type CustomIdKind = CustomIdData['kind'];

const JOB_ID = /^[A-Za-z0-9_-]{1,24}$/;
const FIELD = /^[A-Za-z0-9_.=-]{1,64}$/;
const NUMBER = /^(0|[1-9][0-9]{0,2})$/;
/** Largest index or prompt number accepted (a message holds at most 25 buttons). */
export const MAX_CUSTOM_ID_NUMBER = 999;

/** True for a local job id that fits a custom_id: `[A-Za-z0-9_-]{1,24}`. */
export function isJobId(value: string): boolean {
  return JOB_ID.test(value);
}

function parseNumber(raw: string | undefined, min: number): number | null {
  if (raw === undefined || !NUMBER.test(raw)) return null;
  const n = Number(raw);
  return n >= min ? n : null;
}

function checkArgs(data: CustomIdData): void {
  if ('jobId' in data && !isJobId(data.jobId))
    throw new RangeError(`invalid job id in custom_id: ${data.jobId}`);
  const num =
    data.kind === 'btn' || data.kind === 'modal' ? data.index : data.kind === 'pick' ? data.n : null;
  const min = data.kind === 'pick' ? 1 : 0;
  if (num !== null && (!Number.isInteger(num) || num < min || num > MAX_CUSTOM_ID_NUMBER)) {
    throw new RangeError(`invalid number in custom_id: ${num}`);
  }
  if (data.kind === 'settings' && !FIELD.test(data.field)) {
    throw new RangeError(`invalid settings field in custom_id: ${data.field}`);
  }
}

function args(data: CustomIdData): (string | number)[] {
  switch (data.kind) {
    case 'btn':
      return [data.jobId, data.index];
    case 'pick':
      return [data.jobId, data.n];
    case 'modal':
      return [data.form, data.jobId, data.index];
    case 'settings':
      return [data.field];
    default:
      return [data.jobId];
  }
}

/**
 * Builds `mj1:<kind>:<arg>…`, the only way the bot makes a custom_id.
 * @throws RangeError when an argument contains ':' or is otherwise invalid, or the result exceeds 100 characters.
 */
export function makeCustomId(data: CustomIdData): string {
  const parts = args(data).map(String);
  if (parts.some((p) => p.includes(':'))) throw new RangeError(`custom_id argument contains ':'`);
  checkArgs(data);
  const id = [CUSTOM_ID_PREFIX, data.kind, ...parts].join(':');
  if (id.length > LIMITS.customId) throw new RangeError(`custom_id longer than ${LIMITS.customId}: ${id}`);
  return id;
}

function isJobOnly(kind: string): kind is JobOnlyKind {
  return (JOB_ONLY_KINDS as readonly string[]).includes(kind);
}

function isModalForm(form: string | undefined): form is ModalForm {
  return form !== undefined && (MODAL_FORMS as readonly string[]).includes(form);
}

/** Decodes a custom_id built by {@link makeCustomId}; `null` for anything malformed, foreign or of another version. */
export function parseCustomId(raw: string): CustomIdData | null {
  if (typeof raw !== 'string' || raw.length > LIMITS.customId) return null;
  const [prefix, kind, ...rest] = raw.split(':');
  if (prefix !== CUSTOM_ID_PREFIX || kind === undefined) return null;
  const [a, b, c] = rest;
  const job = (id: string | undefined): id is string => id !== undefined && JOB_ID.test(id);
  switch (kind) {
    case 'btn':
    case 'pick': {
      if (rest.length !== 2 || !job(a)) return null;
      const n = parseNumber(b, kind === 'pick' ? 1 : 0);
      if (n === null) return null;
      return kind === 'btn' ? { kind, jobId: a, index: n } : { kind, jobId: a, n };
    }
    case 'modal': {
      if (rest.length !== 3 || !isModalForm(a) || !job(b)) return null;
      const index = parseNumber(c, 0);
      return index === null ? null : { kind, form: a, jobId: b, index };
    }
    case 'settings':
      return rest.length === 1 && a !== undefined && FIELD.test(a) ? { kind, field: a } : null;
    default:
      return isJobOnly(kind) && rest.length === 1 && job(a) ? { kind, jobId: a } : null;
  }
}
