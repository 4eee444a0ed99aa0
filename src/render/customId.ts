import { LIMITS } from '../constants.js';

/** Version prefix of every custom_id the bot builds; anything else is foreign or stale. */
export const CUSTOM_ID_PREFIX = 'mj1';

/**
 * The modals the bot shows; their custom_id names the form. `press`: a button of a finished job pressed with the
 * remix preference on (the edited prompt goes with the action).
 */
export const MODAL_FORMS = ['zoom', 'region', 'remix', 'pick', 'press'] as const;
/** Which modal a modal custom_id belongs to. */
export type ModalForm = (typeof MODAL_FORMS)[number];

/** The pop-ups a message context menu opens (Imagine from image, Blend images). */
export const MENU_FORMS = ['imagine', 'blend'] as const;
export type MenuForm = (typeof MENU_FORMS)[number];

/** What each argument a custom_id can carry holds. */
interface ArgValues {
  /** A local job id, `[A-Za-z0-9_-]{1,24}`. */
  jobId: string;
  /** `job.task.buttons[index]`; in a modal, the button index (zoom/region/remix/press) or the prompt number (pick). */
  index: number;
  /** A prompt number, from 1. */
  n: number;
  form: ModalForm;
  /** A control of the /settings panel. */
  field: string;
  menuForm: MenuForm;
  /** A Discord message id (a snowflake): the message a context menu was used on. */
  messageId: string;
}
type ArgName = keyof ArgValues;

/**
 * Every kind of custom_id and its arguments in wire order: `mj1:<kind>:<arg>:<arg>…`. A new button starts here;
 * the route table (`interactions/routes.ts`) then fails to compile until the kind has a route.
 */
export const CUSTOM_ID_KINDS = {
  /** An upstream button: `job.task.buttons[index]`. */
  btn: ['jobId', 'index'],
  /** Describe/shorten: use prompt n (opens a modal). */
  pick: ['jobId', 'n'],
  pickall: ['jobId'],
  redescribe: ['jobId'],
  remix: ['jobId'],
  seed: ['jobId'],
  retry: ['jobId'],
  check: ['jobId'],
  cancel: ['jobId'],
  delete: ['jobId'],
  dm: ['jobId'],
  /** A modal the bot showed. */
  modal: ['form', 'jobId', 'index'],
  /** A button, select or pop-up of the /settings panel. */
  settings: ['field'],
  /** The pop-up of a message context menu, on the images of message `messageId`. */
  menu: ['menuForm', 'messageId'],
} as const satisfies Record<string, readonly ArgName[]>;

/** Every kind of custom_id. */
export type CustomIdKind = keyof typeof CUSTOM_ID_KINDS;

type Fields<K extends CustomIdKind> = { kind: K } & {
  [A in (typeof CUSTOM_ID_KINDS)[K][number]]: ArgValues[A];
};
/** What a custom_id of one kind says, e.g. `{ kind: 'btn'; jobId: string; index: number }`. */
export type CustomIdOf<K extends CustomIdKind> = { [P in keyof Fields<K>]: Fields<K>[P] };
/** Everything a button, select or modal custom_id can say. */
export type CustomIdData = { [K in CustomIdKind]: CustomIdOf<K> }[CustomIdKind];

const JOB_ID = /^[A-Za-z0-9_-]{1,24}$/;
const FIELD = /^[A-Za-z0-9_.=-]{1,64}$/;
const SNOWFLAKE = /^[1-9][0-9]{15,19}$/;
/** An index or prompt number: 0 to 999, no leading zero (a message holds at most 25 buttons). */
const NUMBER = /^(0|[1-9][0-9]{0,2})$/;

function readNumber(raw: string, min: number): number | null {
  if (!NUMBER.test(raw)) return null;
  const n = Number(raw);
  return n >= min ? n : null;
}

/** How each argument is read back from the wire; `null` when it is not valid. */
const READ: { [A in ArgName]: (raw: string) => ArgValues[A] | null } = {
  jobId: (raw) => (JOB_ID.test(raw) ? raw : null),
  index: (raw) => readNumber(raw, 0),
  n: (raw) => readNumber(raw, 1),
  form: (raw) => MODAL_FORMS.find((form) => form === raw) ?? null,
  field: (raw) => (FIELD.test(raw) ? raw : null),
  menuForm: (raw) => MENU_FORMS.find((form) => form === raw) ?? null,
  messageId: (raw) => (SNOWFLAKE.test(raw) ? raw : null),
};

/**
 * Builds `mj1:<kind>:<arg>…`, the only way the bot makes a custom_id.
 * @throws RangeError when an argument contains ':' or would not parse back as itself, or the result exceeds 100
 *   characters.
 */
export function makeCustomId(data: CustomIdData): string {
  const names: readonly ArgName[] = CUSTOM_ID_KINDS[data.kind];
  const values: Record<string, unknown> = data;
  const parts = names.map((name) => String(values[name]));
  if (parts.some((p) => p.includes(':'))) throw new RangeError(`custom_id argument contains ':'`);
  names.forEach((name, i) => {
    if (READ[name](parts[i] ?? '') !== values[name]) {
      throw new RangeError(`invalid ${name} in custom_id: ${parts[i]}`);
    }
  });
  const id = [CUSTOM_ID_PREFIX, data.kind, ...parts].join(':');
  if (id.length > LIMITS.customId) throw new RangeError(`custom_id longer than ${LIMITS.customId}: ${id}`);
  return id;
}

function isKind(kind: string | undefined): kind is CustomIdKind {
  return kind !== undefined && Object.hasOwn(CUSTOM_ID_KINDS, kind);
}

/** Decodes a custom_id built by {@link makeCustomId}; `null` for anything malformed, foreign or of another version. */
export function parseCustomId(raw: string): CustomIdData | null {
  if (typeof raw !== 'string' || raw.length > LIMITS.customId) return null;
  const [prefix, kind, ...rest] = raw.split(':');
  if (prefix !== CUSTOM_ID_PREFIX || !isKind(kind)) return null;
  const names: readonly ArgName[] = CUSTOM_ID_KINDS[kind];
  if (rest.length !== names.length) return null;
  const data: Record<string, unknown> = { kind };
  for (const [i, name] of names.entries()) {
    const value = READ[name](rest[i] ?? '');
    if (value === null) return null;
    data[name] = value;
  }
  return data as CustomIdData;
}
