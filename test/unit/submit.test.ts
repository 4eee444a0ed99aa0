import { describe, expect, it, vi } from 'vitest';
import { confirmModal, prepareSubmit, type SubmitClient, type SubmitDeps } from '../../src/jobs/submit.js';
import type { JobRequest } from '../../src/jobs/types.js';
import type { SubmitResult } from '../../src/upstream/types.js';
import { silentLogger } from '../support/jobs.js';

const accepted = (taskId: string): SubmitResult => ({
  kind: 'accepted',
  taskId,
  code: 1,
  description: '',
  queuePosition: null,
});
const modal = (taskId: string): SubmitResult => ({
  kind: 'modal',
  taskId,
  code: 21,
  description: '',
  finalPrompt: 'as echoed',
});

/** An upstream that records each submit as `[endpoint, body]` and answers `answer(endpoint)`. */
function fakeUpstream(answer: (endpoint: string) => SubmitResult = () => accepted('t1')) {
  const calls: Array<[string, unknown]> = [];
  const endpoint = (name: string) => async (body: unknown) => {
    calls.push([name, body]);
    return answer(name);
  };
  const upstream = {
    imagine: endpoint('imagine'),
    blend: endpoint('blend'),
    describe: endpoint('describe'),
    shorten: endpoint('shorten'),
    action: endpoint('action'),
    modal: endpoint('modal'),
  } as unknown as SubmitClient;
  const kept: Array<[string, string]> = [];
  const deps: SubmitDeps = {
    upstream,
    logger: silentLogger,
    keepPrompt: async (taskId, prompt) => {
      kept.push([taskId, prompt]);
    },
  };
  return { deps, calls, kept };
}

type PopupRequest = Extract<JobRequest, { kind: 'modal' }>;

const A = 'data:image/png;base64,AAAA';
const B = 'data:image/png;base64,BBBB';

describe('prepareSubmit: a job request becomes its one submit', () => {
  it.each<[string, JobRequest, string[], [string, unknown]]>([
    [
      'imagine',
      { kind: 'imagine', mode: 'relax', botType: 'NIJI_JOURNEY', prompt: 'a fox', imageUrls: [] },
      [],
      ['imagine', { prompt: 'a fox', mode: 'relax', botType: 'NIJI_JOURNEY' }],
    ],
    [
      'imagine with image prompts',
      { kind: 'imagine', mode: 'fast', botType: null, prompt: 'a fox', imageUrls: ['u1', 'u2'] },
      [A, B],
      ['imagine', { prompt: 'a fox', mode: 'fast', base64Array: [A, B] }],
    ],
    [
      'blend',
      { kind: 'blend', mode: 'turbo', botType: null, imageUrls: ['u1', 'u2'], dimensions: 'PORTRAIT' },
      [A, B],
      ['blend', { base64Array: [A, B], dimensions: 'PORTRAIT', mode: 'turbo' }],
    ],
    [
      'describe',
      {
        kind: 'describe',
        mode: 'fast',
        botType: 'MID_JOURNEY',
        source: { link: 'https://example.com/a.png' },
      },
      [A],
      ['describe', { base64: A, mode: 'fast', botType: 'MID_JOURNEY' }],
    ],
    [
      'shorten',
      { kind: 'shorten', mode: 'fast', botType: null, prompt: 'a long prompt' },
      [],
      ['shorten', { prompt: 'a long prompt', mode: 'fast' }],
    ],
    [
      'action',
      { kind: 'action', mode: 'relax', taskId: 'p1', customId: 'MJ::JOB::upsample::1::h' },
      [],
      ['action', { taskId: 'p1', customId: 'MJ::JOB::upsample::1::h', mode: 'relax' }],
    ],
  ])('%s', async (_name, request, images, call) => {
    const { deps, calls } = fakeUpstream();
    const send = await prepareSubmit(deps, request, images);
    expect(calls).toEqual([]); // nothing is sent before the submit is called
    expect(await send()).toEqual(accepted('t1'));
    expect(calls).toEqual([call]);
  });

  it('reads the images again only when the request has some, before anything is sent', async () => {
    const { deps, calls } = fakeUpstream();
    const load = vi.fn(async () => [A, B]);
    const blend: JobRequest = {
      kind: 'blend',
      mode: 'fast',
      botType: null,
      imageUrls: ['u1', 'u2'],
      dimensions: 'SQUARE',
    };
    await (await prepareSubmit(deps, blend, load))();
    expect(load).toHaveBeenCalledWith(blend);
    expect(calls[0]?.[1]).toMatchObject({ base64Array: [A, B] });

    load.mockClear();
    const imagine: JobRequest = { kind: 'imagine', mode: 'fast', botType: null, prompt: 'p', imageUrls: [] };
    await (await prepareSubmit(deps, imagine, load))();
    expect(load).not.toHaveBeenCalled();

    // An image that cannot be read again (an expired attachment) stops the submit before it is sent.
    const gone = new Error('expired');
    await expect(prepareSubmit(deps, blend, async () => Promise.reject(gone))).rejects.toBe(gone);
    expect(calls).toHaveLength(2);
  });

  it('refuses images that do not match the request', async () => {
    const { deps } = fakeUpstream();
    const request: JobRequest = {
      kind: 'imagine',
      mode: 'fast',
      botType: null,
      prompt: 'p',
      imageUrls: ['u1'],
    };
    await expect(prepareSubmit(deps, request, [])).rejects.toThrow(/takes 1 image/);
  });
});

describe('prepareSubmit: a pop-up (modal request)', () => {
  const popup = (patch: Partial<PopupRequest> = {}): PopupRequest => ({
    kind: 'modal',
    mode: 'fast',
    taskId: 'p1',
    customId: 'MJ::Inpaint::1::h::SOLO',
    prompt: 'a cat instead',
    enableRemix: false,
    maskUrl: 'https://cdn.example/mask.png',
    confirmLater: false,
    ...patch,
  });

  it('sends the action, then the prompt and mask for the task the upstream gave when it asks (code 21)', async () => {
    const { deps, calls, kept } = fakeUpstream((e) => (e === 'action' ? modal('c1') : accepted('c1')));
    const result = await (await prepareSubmit(deps, popup(), [A]))();
    expect(result).toEqual(accepted('c1'));
    expect(calls).toEqual([
      ['action', { taskId: 'p1', customId: 'MJ::Inpaint::1::h::SOLO', mode: 'fast' }],
      ['modal', { taskId: 'c1', prompt: 'a cat instead', mode: 'fast', maskBase64: A }],
    ]);
    expect(kept).toEqual([]);
  });

  it('an action taken without its pop-up is tracked as it is; with confirmLater its prompt is kept', async () => {
    const remix = popup({ customId: 'MJ::JOB::variation::1::h', enableRemix: true, maskUrl: null });
    const plain = fakeUpstream(() => accepted('c2'));
    expect(await (await prepareSubmit(plain.deps, remix, []))()).toEqual(accepted('c2'));
    expect(plain.calls).toEqual([
      ['action', { taskId: 'p1', customId: 'MJ::JOB::variation::1::h', mode: 'fast', enableRemix: true }],
    ]);
    expect(plain.kept).toEqual([]);

    const later = fakeUpstream(() => accepted('c3'));
    await (await prepareSubmit(later.deps, { ...remix, confirmLater: true }, []))();
    expect(later.kept).toEqual([['c3', 'a cat instead']]);
  });

  it('confirmModal sends the prompt for a task that waits in MODAL', async () => {
    const { deps, calls } = fakeUpstream();
    await confirmModal(deps.upstream, { taskId: 't9', prompt: 'edited', mode: 'relax' });
    expect(calls).toEqual([['modal', { taskId: 't9', prompt: 'edited', mode: 'relax' }]]);
  });
});
