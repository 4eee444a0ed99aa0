import { randomUUID } from 'node:crypto';
import type { MjButton, Mode } from '../../src/upstream/types.js';
import { buttonsFor, describeText, shortenText } from './content.js';
import { INSTANCE_ID, queueText } from './replies.js';
import type { SimTask } from './types.js';

/** What the simulator holds and needs to create and advance tasks. */
export interface SimCore {
  readonly aggregator: boolean;
  readonly baseUrl: string;
  readonly tasks: Map<string, SimTask>;
  /** Ids in creation order (kept when a task is forgotten). */
  readonly created: string[];
}

/** Fields a submit decides. */
export interface TaskInit {
  action: string;
  prompt: string | null;
  description: string;
  request: Record<string, unknown>;
  mode: Mode | null;
  botType?: string;
  parentId?: string | null;
  customId?: string | null;
  enableRemix?: boolean;
}

/** A real-looking id: `Date.now()` followed by three digits, unique within `taken`. */
export function newTaskId(taken: Map<string, unknown>): string {
  for (;;) {
    const id = `${Date.now()}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
    if (!taken.has(id)) return id;
  }
}

/** Creates and stores a task in NOT_START (aggregator: status '' and progress '0%'). */
export function createTask(core: SimCore, init: TaskInit): SimTask {
  const id = newTaskId(core.tasks);
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const botType = init.botType ?? str(init.request.botType) ?? 'MID_JOURNEY';
  const task: SimTask = {
    id,
    action: init.action,
    status: core.aggregator ? '' : 'NOT_START',
    prompt: init.prompt,
    promptEn: init.prompt,
    description: core.aggregator ? '提交成功' : init.description,
    state: str(init.request.state),
    submitTime: Date.now(),
    startTime: null,
    finishTime: null,
    imageUrl: null,
    progress: core.aggregator ? '0%' : null,
    failReason: null,
    buttons: [],
    properties: {
      discordInstanceId: INSTANCE_ID,
      discordChannelId: INSTANCE_ID,
      notifyHook: str(init.request.notifyHook),
      botType,
    },
    mask: null,
    modalPrompt: null,
    parentId: init.parentId ?? null,
    customId: init.customId ?? null,
    enableRemix: init.enableRemix ?? false,
    botType,
    mode: init.mode,
    seed: null,
    imageBytes: null,
    request: init.request,
  };
  if (task.parentId) task.properties.parentId = task.parentId;
  if (task.customId) task.properties.custom_id = task.customId;
  core.tasks.set(id, task);
  core.created.push(id);
  return task;
}

/** Puts a task in MODAL, waiting for `/submit/modal`. */
export function toModal(task: SimTask, finalPrompt: string): void {
  task.status = 'MODAL';
  task.progress = null;
  task.properties.finalPrompt = finalPrompt;
  task.properties.remix = true;
}

/** The JSON served for a task (TA field set, or the aggregator's reduced DTO). */
export function taskView(task: SimTask, aggregator: boolean): Record<string, unknown> {
  const {
    mask,
    modalPrompt,
    parentId,
    customId,
    enableRemix,
    botType,
    mode,
    seed,
    imageBytes,
    request,
    ...json
  } = task;
  if (aggregator) {
    return { ...json, customId, botType, maskBase64: mask ?? '', properties: pickFinal(json.properties) };
  }
  return { ...json, parentId, botType, mode: mode ? mode.toUpperCase() : null };
}

function pickFinal(props: Record<string, unknown>): Record<string, unknown> {
  return 'finalPrompt' in props ? { finalPrompt: props.finalPrompt } : {};
}

/** Looks a task up; throws (a test bug) when unknown. */
export function mustGet(core: SimCore, taskId: string): SimTask {
  const task = core.tasks.get(taskId);
  if (!task) throw new Error(`MjSimulator: unknown task ${taskId}`);
  return task;
}

/**
 * Where a task waiting in the proxy's own queue (code 22) stands: `ahead` tasks before it. The fetched task says
 * so in `properties.numberOfQueues` and, with `describe`, in its description. An aggregator's description is the
 * submit's answer, set once (`describe` only at the submit); its reduced DTO drops the property.
 */
export function queueTask(task: SimTask, ahead: number, describe: boolean): void {
  if (task.status !== 'NOT_START' && task.status !== '')
    throw new Error(`MjSimulator: task ${task.id} is not queued`);
  task.properties.numberOfQueues = ahead;
  if (describe) task.description = queueText(ahead);
}

/** SUBMITTED, progress '0%'. */
export function startTask(task: SimTask): void {
  delete task.properties.numberOfQueues;
  task.status = 'SUBMITTED';
  task.progress = '0%';
  task.startTime ??= Date.now();
}

/** IN_PROGRESS with a preview image. */
export function progressTask(core: SimCore, task: SimTask, pct: number): void {
  task.startTime ??= Date.now();
  task.status = 'IN_PROGRESS';
  task.progress = `${pct}%`;
  task.imageUrl = `${core.baseUrl}/img/${task.id}/preview-${pct}.png`;
}

/** SUCCESS with final image, messageHash, finalPrompt and the buttons of the action (or `buttons`). */
export function succeedTask(
  core: SimCore,
  task: SimTask,
  opts: { imageBytes?: Buffer; buttons?: MjButton[] } = {},
): void {
  const hash = randomUUID();
  task.startTime ??= Date.now();
  task.status = 'SUCCESS';
  task.progress = '100%';
  task.finishTime = Date.now();
  task.failReason = '';
  task.imageUrl = `${core.baseUrl}/img/${task.id}/final.png`;
  task.imageBytes = opts.imageBytes ?? null;
  task.seed = String(1_000_000_000 + Math.floor(Math.random() * 3_000_000_000));
  task.properties.messageHash = hash;
  task.properties.messageId = String(1_375_320_706_358_706_237n + BigInt(core.tasks.size));
  task.properties.finalPrompt = task.prompt ?? '';
  if (task.action === 'DESCRIBE') {
    const text = describeText(task.id.slice(-4));
    task.prompt = null;
    task.promptEn = text;
    task.properties.finalPrompt = text;
  } else if (task.action === 'SHORTEN') {
    const text = shortenText(task.prompt ?? '');
    task.properties.finalPrompt = text;
    if (!core.aggregator) task.description = text;
    task.imageUrl = null;
  } else {
    task.promptEn = task.prompt;
  }
  task.buttons = opts.buttons ?? buttonsFor(task.action, hash);
}

/** FAILURE with `failReason`; progress '' (aggregator: '100%'). */
export function failTask(core: SimCore, task: SimTask, reason: string): void {
  task.status = 'FAILURE';
  task.failReason = reason;
  task.progress = core.aggregator ? '100%' : '';
  task.finishTime = Date.now();
}
