import type { MjButton, MjTask } from './types.js';

type Obj = Record<string, unknown>;

/** Minimal logger the parsers and the client accept. */
export interface MjLogger {
  warn(obj: object, msg: string): void;
  debug?(obj: object, msg: string): void;
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

function normalizeButton(v: unknown): MjButton | null {
  if (!isObject(v) || typeof v.customId !== 'string' || v.customId === '') return null;
  return {
    customId: v.customId,
    emoji: str(v.emoji) ?? '',
    label: str(v.label) ?? '',
    style: num(v.style) ?? 2,
    type: num(v.type) ?? 2,
  };
}

/**
 * Turns one task object from `/task/{id}/fetch` or `/task/list-by-condition` into an `MjTask`.
 * Missing fields become null (`buttons` → [], `properties` → {}, `status`/`action` → ''); a numeric `progress`
 * becomes `"<n>%"`. Returns null when `raw` is not an object or has no id (and no `fallbackId` is given).
 */
export function normalizeTask(raw: unknown, fallbackId?: string): MjTask | null {
  if (!isObject(raw)) return null;
  const id = str(raw.id) ?? fallbackId ?? null;
  if (!id) return null;
  const progress = typeof raw.progress === 'number' ? `${raw.progress}%` : str(raw.progress);
  const buttons = Array.isArray(raw.buttons)
    ? raw.buttons.map(normalizeButton).filter((b): b is MjButton => b !== null)
    : [];
  const task: MjTask = {
    id,
    action: str(raw.action) ?? '',
    status: str(raw.status) ?? '',
    prompt: str(raw.prompt),
    promptEn: str(raw.promptEn),
    description: str(raw.description),
    imageUrl: str(raw.imageUrl),
    progress,
    failReason: str(raw.failReason),
    submitTime: num(raw.submitTime),
    startTime: num(raw.startTime),
    finishTime: num(raw.finishTime),
    buttons,
    properties: isObject(raw.properties) ? { ...raw.properties } : {},
  };
  if ('mode' in raw) task.mode = str(raw.mode);
  return task;
}

/**
 * Normalises a `list-by-condition` answer. Entries that are not task objects are skipped with a warning.
 * Returns null when `raw` is not an array at all.
 */
export function normalizeTaskList(raw: unknown, logger?: MjLogger): MjTask[] | null {
  if (!Array.isArray(raw)) return null;
  const out: MjTask[] = [];
  raw.forEach((entry, index) => {
    const task = normalizeTask(entry);
    if (task) out.push(task);
    else
      logger?.warn(
        { index, type: entry === null ? 'null' : typeof entry },
        'mj: skipped a malformed task in a list',
      );
  });
  return out;
}
