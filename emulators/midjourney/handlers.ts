import type { Mode } from '../../src/upstream/types.js';
import { classifyAction } from './content.js';
import { accepted, aggError, failure, rewriteAccepted, successFalse } from './replies.js';
import { createTask, type SimCore, toModal } from './tasks.js';
import type { Reply, SimTask } from './types.js';

/** A submit's answer and the task it created (if any). */
export interface SubmitOutcome {
  reply: Reply;
  task: SimTask | null;
}

type Body = Record<string, unknown>;

const DATA_URL = /^data:[\w.+-]+\/[\w.+-]+;base64,[A-Za-z0-9+/=\s]+$/;
const DIMENSIONS = new Set(['PORTRAIT', 'SQUARE', 'LANDSCAPE']);

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const reject = (description: string, status = 200): SubmitOutcome => ({
  reply: failure(4, description, status),
  task: null,
});
const missingParent = (): SubmitOutcome => ({ reply: failure(3, '关联任务不存在或已失效', 404), task: null });

function ok(core: SimCore, init: Parameters<typeof createTask>[1]): SubmitOutcome {
  const task = createTask(core, init);
  return { reply: accepted(task.id), task };
}

function imagine(core: SimCore, b: Body, mode: Mode | null): SubmitOutcome {
  const prompt = str(b.prompt);
  if (!prompt) return reject('prompt不能为空');
  const images = b.base64Array;
  if (images !== undefined && (!Array.isArray(images) || images.some((i) => !DATA_URL.test(String(i))))) {
    return reject('base64格式错误');
  }
  return ok(core, { action: 'IMAGINE', prompt, description: `/imagine ${prompt}`, request: b, mode });
}

function blend(core: SimCore, b: Body, mode: Mode | null): SubmitOutcome {
  const images = b.base64Array;
  if (!Array.isArray(images) || images.length < 2 || images.length > 5)
    return reject('图片参数错误，2~5张图片');
  if (images.some((i) => !DATA_URL.test(String(i)))) return reject('base64格式错误');
  if (b.dimensions !== undefined && !DIMENSIONS.has(String(b.dimensions)))
    return reject('dimensions参数错误');
  const out = ok(core, { action: 'BLEND', prompt: null, description: '/blend', request: b, mode });
  if (out.task && !core.aggregator) out.task.description = `/blend ${out.task.id} ${images.length}`;
  return out;
}

function describe(core: SimCore, b: Body, mode: Mode | null): SubmitOutcome {
  const base64 = str(b.base64);
  const link = str(b.link);
  if (!base64 && !link) return reject('base64不能为空');
  if (base64 && !DATA_URL.test(base64)) return reject('base64格式错误');
  if (!base64 && !/^https?:\/\/\S+$/.test(link)) return reject('link格式错误');
  return ok(core, { action: 'DESCRIBE', prompt: null, description: '/describe', request: b, mode });
}

function shorten(core: SimCore, b: Body, mode: Mode | null): SubmitOutcome {
  const prompt = str(b.prompt);
  if (!prompt) return reject('prompt不能为空');
  return ok(core, { action: 'SHORTEN', prompt, description: `/shorten ${prompt}`, request: b, mode });
}

function action(core: SimCore, b: Body, mode: Mode | null): SubmitOutcome {
  const taskId = str(b.taskId);
  const customId = str(b.customId);
  if (!taskId) return reject('taskId不能为空');
  if (!customId) return reject('action参数错误');
  const unknownAction = (): SubmitOutcome =>
    core.aggregator
      ? { reply: aggError(4, `unknown_action:${customId} `), task: null }
      : reject('未知的 Action 类型');
  if (core.aggregator && !classifyAction(customId, 'IMAGINE').ok) return unknownAction();
  const parent = core.tasks.get(taskId);
  if (!parent)
    return core.aggregator ? { reply: aggError(4, 'task_not_found '), task: null } : missingParent();
  if (parent.status !== 'SUCCESS') return reject('关联任务状态错误');
  if (!parent.buttons.some((btn) => btn.customId === customId)) return reject('未知的 Action 类型');
  const cls = classifyAction(customId, parent.action);
  if (!cls.ok) return cls.reason === 'no_reroll' ? reject('该任务不支持重新生成') : unknownAction();
  const inpaint = customId.startsWith('MJ::Inpaint::');
  const enableRemix = b.enableRemix === true;
  const child = createTask(core, {
    action: cls.action,
    prompt: inpaint ? '' : parent.prompt,
    description: `/action ${parent.id} ${customId}`,
    request: b,
    mode: mode ?? parent.mode,
    botType: parent.botType,
    parentId: parent.id,
    customId,
    enableRemix,
  });
  if (cls.index !== null) child.properties.action_index = cls.index;
  const finalPrompt = inpaint ? '' : (parent.prompt ?? '');
  if (cls.modal === 'always' || (cls.modal === 'remix' && enableRemix)) {
    toModal(child, finalPrompt);
    if (cls.modal === 'remix' && core.aggregator) return { reply: accepted(child.id), task: child };
    return { reply: rewriteAccepted({ code: 21 }, child.id, finalPrompt), task: child };
  }
  return { reply: accepted(child.id), task: child };
}

function modal(core: SimCore, b: Body, mode: Mode | null): SubmitOutcome {
  const taskId = str(b.taskId);
  if (!taskId) return reject('taskId不能为空');
  const task = core.tasks.get(taskId);
  if (!task) return missingParent();
  if (task.status !== 'MODAL') return reject('关联任务状态错误');
  const parent = task.parentId ? core.tasks.get(task.parentId) : undefined;
  const prompt = str(b.prompt) || str(parent?.prompt) || str(task.properties.finalPrompt);
  if (!prompt) return reject('prompt不能为空');
  task.modalPrompt = prompt;
  task.mask = typeof b.maskBase64 === 'string' ? b.maskBase64 : null;
  task.prompt = prompt;
  task.promptEn = prompt;
  task.status = core.aggregator ? '' : 'NOT_START';
  task.progress = core.aggregator ? '0%' : null;
  if (mode) task.mode = mode;
  return { reply: accepted(task.id), task };
}

const HANDLERS: Record<string, (core: SimCore, b: Body, mode: Mode | null) => SubmitOutcome> = {
  imagine,
  blend,
  describe,
  shorten,
  action,
  modal,
};

/** True for the submit endpoints the simulator implements (`imagine` … `modal`). */
export function isSubmitName(name: string): boolean {
  return Object.hasOwn(HANDLERS, name);
}

/** Runs the handler of `/mj/submit/<name>` with the real validation rules. */
export function handleSubmit(core: SimCore, name: string, body: unknown, mode: Mode | null): SubmitOutcome {
  const handler = HANDLERS[name];
  if (!handler) return { reply: { status: 404 }, task: null };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { reply: successFalse('请求参数错误'), task: null };
  }
  return handler(core, body as Body, mode);
}
