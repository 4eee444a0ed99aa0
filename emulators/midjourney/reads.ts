import { aggError, failure } from './replies.js';
import { type SimCore, taskView } from './tasks.js';
import type { Reply } from './types.js';

/** How a plain (non-aggregator) proxy answers a fetch of an unknown task: TA 204, NZ 200 with empty body, or 404. */
export type UnknownTaskAnswer = 204 | 200 | 404;

const notFoundAgg = (): Reply => aggError(4, 'task_no_found ');

/** GET `/mj/task/{id}/fetch`. */
export function fetchTask(core: SimCore, taskId: string, unknown: UnknownTaskAnswer): Reply {
  const task = core.tasks.get(taskId);
  if (task) return { status: 200, json: taskView(task, core.aggregator) };
  if (core.aggregator) return notFoundAgg();
  return unknown === 200 ? { status: 200, text: '', contentType: 'application/json' } : { status: unknown };
}

/** POST `/mj/task/list-by-condition` — unknown ids omitted, answered in reverse order (order is not guaranteed). */
export function listTasks(core: SimCore, body: unknown): Reply {
  const ids =
    typeof body === 'object' && body !== null && Array.isArray((body as { ids?: unknown }).ids)
      ? (body as { ids: unknown[] }).ids
      : [];
  const out = ids
    .map((id) => core.tasks.get(String(id)))
    .filter((t) => t !== undefined)
    .map((t) => taskView(t, core.aggregator))
    .reverse();
  return { status: 200, json: out };
}

/** GET `/mj/task/{id}/image-seed`. */
export function imageSeed(core: SimCore, taskId: string): Reply {
  const task = core.tasks.get(taskId);
  if (!task) return core.aggregator ? notFoundAgg() : failure(3, '任务不存在', 404);
  if (!task.properties.messageHash || !task.seed)
    return failure(4, '任务不存在 messageHash，无法获取 seed', 400);
  return { status: 200, json: { code: 1, description: '成功', result: task.seed, properties: {} } };
}
