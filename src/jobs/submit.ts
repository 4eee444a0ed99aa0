import type { Logger } from '../log.js';
import type { MjClient } from '../upstream/client.js';
import type { BotType, Mode, SubmitResult } from '../upstream/types.js';
import type { Send } from './queue.js';
import type { JobRequest } from './types.js';

/*
 * The one place that sends a submit upstream: every job's request (commands, DM prompts, picks, buttons,
 * pop-ups, Retry, queued jobs after a restart) becomes its submit here, and pop-ups are confirmed here.
 */

/** The upstream calls that submit. */
export type SubmitClient = Pick<MjClient, 'imagine' | 'blend' | 'describe' | 'shorten' | 'action' | 'modal'>;

export interface SubmitDeps {
  upstream: SubmitClient;
  /** Keeps a pop-up's prompt until its task turns MODAL (`rememberRemixPrompt`, see `remixFollowUp`). */
  keepPrompt: (taskId: string, prompt: string) => Promise<void>;
  logger: Logger;
}

/**
 * Reads the images of a request again, as data URLs in {@link imageCountOf}'s order. Downloads are not this
 * layer's business: the caller supplies it.
 */
export type LoadImages = (request: JobRequest) => Promise<string[]>;

/**
 * How many images a request sends, as data URLs: imagine's image prompts, blend's images, describe's image, a
 * Vary (Region) mask.
 */
export function imageCountOf(request: JobRequest): number {
  switch (request.kind) {
    case 'imagine':
    case 'blend':
      return request.imageUrls.length;
    case 'describe':
      return 1;
    case 'modal':
      return request.maskUrl ? 1 : 0;
    default:
      return 0;
  }
}

/**
 * The submit of `request`. `images` are its images as data URLs when the caller has just read them, or how to
 * read them again (called only when the request has images, before anything is sent: a failure there — an
 * expired attachment — sends nothing).
 * @throws whatever `images` throws, or an Error when the images given do not match the request.
 */
export async function prepareSubmit(
  deps: SubmitDeps,
  request: JobRequest,
  images: readonly string[] | LoadImages,
): Promise<Send> {
  const expected = imageCountOf(request);
  const data = typeof images === 'function' ? (expected > 0 ? await images(request) : []) : [...images];
  if (data.length !== expected) {
    throw new Error(`a ${request.kind} request takes ${expected} image(s), ${data.length} given`);
  }
  return submitOf(deps, request, data);
}

/**
 * `/mj/submit/modal` for a job's own task that waits in MODAL: the **Edit prompt** pop-up, or the prompt a remix
 * press kept until its task turned MODAL.
 */
export function confirmModal(
  upstream: Pick<MjClient, 'modal'>,
  confirm: { taskId: string; prompt: string; mode: Mode },
): Promise<SubmitResult> {
  return upstream.modal(confirm);
}

function submitOf(deps: SubmitDeps, r: JobRequest, images: string[]): Send {
  const { upstream } = deps;
  switch (r.kind) {
    case 'imagine': {
      const base64Array = images.length > 0 ? { base64Array: images } : {};
      return () => upstream.imagine({ prompt: r.prompt, mode: r.mode, ...bot(r.botType), ...base64Array });
    }
    case 'blend':
      return () =>
        upstream.blend({ base64Array: images, dimensions: r.dimensions, mode: r.mode, ...bot(r.botType) });
    case 'describe':
      return () => upstream.describe({ base64: images[0], mode: r.mode, ...bot(r.botType) });
    case 'shorten':
      return () => upstream.shorten({ prompt: r.prompt, mode: r.mode, ...bot(r.botType) });
    case 'action':
      return () => upstream.action({ taskId: r.taskId, customId: r.customId, mode: r.mode });
    case 'modal':
      return () => popupSubmit(deps, r, images[0] ?? null);
  }
}

/**
 * A pop-up's button: the action first, then — when the upstream asks for the pop-up (code 21) — its prompt
 * (and mask) for the task it gave. An action taken without asking is tracked as it is; with `confirmLater` its
 * prompt is kept for the moment its task turns MODAL.
 */
async function popupSubmit(
  deps: SubmitDeps,
  r: Extract<JobRequest, { kind: 'modal' }>,
  mask: string | null,
): Promise<SubmitResult> {
  const first = await deps.upstream.action({
    taskId: r.taskId,
    customId: r.customId,
    mode: r.mode,
    ...(r.enableRemix ? { enableRemix: true } : {}),
  });
  const log = { parentTaskId: r.taskId, customId: r.customId, taskId: first.taskId };
  if (first.kind === 'modal') {
    deps.logger.info(log, 'the action waits for its pop-up: sending the prompt');
    const maskBase64 = mask ? { maskBase64: mask } : {};
    return deps.upstream.modal({ taskId: first.taskId, prompt: r.prompt, mode: r.mode, ...maskBase64 });
  }
  deps.logger.info(log, 'the upstream took the action without its pop-up');
  if (r.confirmLater) await deps.keepPrompt(first.taskId, r.prompt);
  return first;
}

function bot(botType: BotType | null): { botType?: BotType } {
  return botType ? { botType } : {};
}
