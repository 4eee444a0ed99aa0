import type { Reply, SubmitScript } from './types.js';

/** The simulated Discord instance id put in `properties.discordInstanceId`. */
export const INSTANCE_ID = '1372845222307958867';

/** The queue text of a code 22 answer: "N tasks ahead of yours". */
export function queueText(ahead: number): string {
  return `排队中，前面还有${ahead}个任务`;
}

/** `{code:1, description:'提交成功', result:id, properties:{discordInstanceId,…}}`. */
export function accepted(taskId: string, extra: Record<string, unknown> = {}): Reply {
  return {
    status: 200,
    json: {
      code: 1,
      description: '提交成功',
      result: taskId,
      properties: { discordInstanceId: INSTANCE_ID, discordChannelId: INSTANCE_ID, ...extra },
    },
  };
}

/** A `SubmitResultVO` failure: `{code, description, result:null, properties}`. */
export function failure(code: number, description: string, status = 200, properties: object = {}): Reply {
  return { status, json: { code, description, result: null, properties } };
}

/** The aggregator's own error: `{description, type:'upstream_error', code}` (HTTP 400). */
export function aggError(code: number, description: string, status = 400): Reply {
  return { status, json: { description, type: 'upstream_error', code } };
}

/** TA's `Result` error shape. */
export function successFalse(message: string): Reply {
  return { status: 200, json: { success: false, code: -1, message, timestamp: String(Date.now()) } };
}

/** Reply for an error script, 'hang'/'destroy' for transport faults, null for accepting scripts (1/21/22). */
export function renderScript(script: SubmitScript): Reply | 'hang' | 'destroy' | null {
  if ('hang' in script) return 'hang';
  if ('destroy' in script) return 'destroy';
  if ('http' in script) {
    return {
      status: script.http,
      text: script.body,
      contentType: script.contentType ?? 'text/html; charset=utf-8',
    };
  }
  if ('successFalse' in script) return successFalse(script.successFalse);
  if ('aggregatorError' in script) {
    return aggError(
      script.aggregatorError.code,
      script.aggregatorError.description,
      script.httpStatus ?? 400,
    );
  }
  switch (script.code) {
    case 24:
      return failure(24, '可能包含敏感词', 200, { promptEn: '', bannedWord: script.bannedWord });
    case 23:
      return failure(23, '队列已满，请稍后尝试', 200, { discordInstanceId: INSTANCE_ID });
    case 3:
      return failure(3, script.description ?? '关联任务不存在或已失效', script.httpStatus ?? 404);
    case 4:
      return failure(4, script.description ?? '参数错误', script.httpStatus ?? 200);
    case 9:
      return failure(9, script.description ?? '提交失败，系统异常', script.httpStatus ?? 200);
    default:
      return null;
  }
}

/** Applies an accepting script (1/22/21) to a normal acceptance of `taskId`. */
export function rewriteAccepted(script: SubmitScript, taskId: string, finalPrompt: string): Reply {
  if (!('code' in script)) return accepted(taskId);
  if (script.code === 22) {
    const n = script.queue ?? 1;
    const reply = accepted(taskId, { numberOfQueues: n });
    (reply.json as { code: number; description: string }).code = 22;
    (reply.json as { code: number; description: string }).description = queueText(n);
    return reply;
  }
  if (script.code === 21) {
    return {
      status: 200,
      json: {
        code: 21,
        description: 'Waiting for window confirm',
        result: taskId,
        properties: { finalPrompt, remix: true },
      },
    };
  }
  return accepted(taskId);
}
