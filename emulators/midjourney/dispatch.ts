import { handleSubmit, isSubmitName } from './handlers.js';
import type { Route } from './http.js';
import { makePng } from './png.js';
import { fetchTask, imageSeed, listTasks, type UnknownTaskAnswer } from './reads.js';
import { renderScript, rewriteAccepted } from './replies.js';
import { queueTask, type SimCore, toModal } from './tasks.js';
import type { Fault, FaultMatch, Reply, SimOptions, SimRequest, SubmitScript } from './types.js';

/** A registered fault and how many more requests it applies to. */
export interface FaultEntry {
  match: FaultMatch;
  fault: Fault;
  left: number;
}

/** What answering a request needs from the simulator. */
export interface DispatchContext {
  core: SimCore;
  opts: Omit<Required<SimOptions>, 'onCreated'>;
  unknownTaskAnswer: UnknownTaskAnswer;
  scripts: SubmitScript[];
  faults: FaultEntry[];
}

/** A reply, or a transport-level misbehaviour. */
export type Outcome = Reply | 'hang' | 'destroy';

/** Answers one recorded request: images, then faults, auth, routing, scripts and the handlers. */
export async function dispatch(ctx: DispatchContext, rec: SimRequest, route: Route): Promise<Outcome> {
  if (route.endpoint === 'img') {
    const task = route.taskId ? ctx.core.tasks.get(route.taskId) : undefined;
    const custom = route.imageName === 'final' ? task?.imageBytes : null;
    return {
      status: 200,
      bytes: custom ?? makePng(4, 4, (route.imageName ?? '').length),
      contentType: 'image/png',
    };
  }
  if (!route.mj) return { status: 404 };
  const pending = await applyFault(ctx, rec.endpoint);
  if (pending && !('code' in pending && [1, 21, 22].includes(pending.code))) {
    return renderScript(pending) ?? { status: 500 };
  }
  const { apiKey } = ctx.opts;
  if (rec.authorization !== `Bearer ${apiKey}` && rec.mjApiSecret !== apiKey) return { status: 401 };
  return answer(ctx, rec, pending);
}

function answer(ctx: DispatchContext, rec: SimRequest, pending: SubmitScript | null): Outcome {
  const { endpoint, method, taskId } = rec;
  const { core, opts } = ctx;
  const want = (m: string): Reply | null => (method === m ? null : { status: 405 });
  if (endpoint.startsWith('submit/')) {
    const name = endpoint.slice('submit/'.length);
    if (!isSubmitName(name)) return { status: 404 };
    return want('POST') ?? answerSubmit(core, name, rec, pending ?? ctx.scripts.shift() ?? null);
  }
  if (endpoint === 'task/fetch' && taskId)
    return want('GET') ?? fetchTask(core, taskId, ctx.unknownTaskAnswer);
  if (endpoint === 'task/list-by-condition' && opts.listByCondition)
    return want('POST') ?? listTasks(core, rec.body);
  if (endpoint === 'task/image-seed' && taskId && opts.imageSeed)
    return want('GET') ?? imageSeed(core, taskId);
  return { status: 404 };
}

function answerSubmit(core: SimCore, name: string, rec: SimRequest, script: SubmitScript | null): Outcome {
  const rendered = script ? renderScript(script) : null;
  if (rendered) return rendered;
  const out = handleSubmit(core, name, rec.body, rec.mode);
  const code = (out.reply.json as { code?: unknown } | undefined)?.code;
  if (!script || !out.task || (code !== 1 && code !== 21) || !('code' in script) || script.code === 1) {
    return out.reply;
  }
  const finalPrompt = 'finalPrompt' in script ? (script.finalPrompt ?? '') : (out.task.prompt ?? '');
  if (script.code === 21) toModal(out.task, finalPrompt);
  if (script.code === 22) queueTask(out.task, script.queue ?? 1, true);
  return rewriteAccepted(script, out.task.id, finalPrompt);
}

/**
 * Consumes the first fault matching `endpoint`. Delays are awaited (then null: answer normally); scripted
 * answers are returned for the caller to render (accepting codes 1/21/22 only affect submits).
 */
async function applyFault(ctx: DispatchContext, endpoint: string): Promise<SubmitScript | null> {
  const entry = ctx.faults.find((f) => f.left > 0 && matches(f.match, endpoint));
  if (!entry) return null;
  entry.left -= 1;
  const { fault } = entry;
  if ('delayMs' in fault) {
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    return null;
  }
  if ('until' in fault) {
    await fault.until;
    return null;
  }
  return fault;
}

function matches(match: FaultMatch, endpoint: string): boolean {
  if (match.endpoint === undefined) return true;
  return typeof match.endpoint === 'string' ? match.endpoint === endpoint : match.endpoint.test(endpoint);
}
