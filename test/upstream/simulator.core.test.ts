import { inflateSync } from 'node:zlib';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32, MjSimulator, makePng, PNG_SIGNATURE } from '../../emulators/midjourney/index.js';
import { clientFor } from './helpers.js';

let sim: MjSimulator;
beforeEach(async () => {
  sim = await MjSimulator.start();
});
afterEach(async () => {
  await sim.close();
});

async function get(path: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET') {
  const res = await request(`${sim.baseUrl}${path}`, { method, headers });
  return { status: res.statusCode, headers: res.headers, bytes: Buffer.from(await res.body.arrayBuffer()) };
}

describe('simulator images', () => {
  it('serves a valid PNG (signature, IHDR, correct CRCs, inflatable IDAT) without auth', async () => {
    const { taskId } = await clientFor(sim).imagine({ prompt: 'x' });
    sim.complete(taskId);
    const url = new URL(sim.task(taskId).imageUrl ?? '');
    const { status, headers, bytes } = await get(url.pathname);
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('image/png');
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
    let off = 8;
    const types: string[] = [];
    while (off < bytes.length) {
      const len = bytes.readUInt32BE(off);
      const typeAndData = bytes.subarray(off + 4, off + 8 + len);
      expect(bytes.readUInt32BE(off + 8 + len)).toBe(crc32(typeAndData));
      types.push(typeAndData.subarray(0, 4).toString('ascii'));
      if (types.at(-1) === 'IDAT') expect(inflateSync(typeAndData.subarray(4))).toHaveLength((4 * 3 + 1) * 4);
      off += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('serves the bytes given to succeed() as the final image', async () => {
    const { taskId } = await clientFor(sim).imagine({ prompt: 'x' });
    const custom = makePng(2, 3, 9);
    sim.complete(taskId, { imageBytes: custom });
    const { bytes } = await get(`/img/${taskId}/final.png`);
    expect(bytes.equals(custom)).toBe(true);
  });
});

describe('simulator HTTP behaviour', () => {
  it('auth: Bearer or mj-api-secret; otherwise 401 with an empty body (request still recorded)', async () => {
    expect((await get('/mj/task/1/fetch', { 'mj-api-secret': 'test-key' })).status).toBe(204);
    expect((await get('/mj/task/1/fetch', { authorization: 'Bearer test-key' })).status).toBe(204);
    const denied = await get('/mj/task/1/fetch', { authorization: 'test-key' });
    expect(denied.status).toBe(401);
    expect(denied.bytes).toHaveLength(0);
    expect(sim.requests).toHaveLength(3);
    expect(sim.requests[2]).toMatchObject({
      endpoint: 'task/fetch',
      taskId: '1',
      mode: null,
      authorization: 'test-key',
    });
  });

  it('unknown paths → 404; wrong method → 405', async () => {
    const auth = { authorization: 'Bearer test-key' };
    expect((await get('/mj/submit/upload-discord-images', auth, 'POST')).status).toBe(404);
    expect((await get('/fast/mj/submit/imagine', auth, 'POST')).status).toBe(404);
    expect((await get('/mj-relax/mj/submit/imagine', auth, 'GET')).status).toBe(405);
    expect(sim.requests.map((r) => r.mode)).toEqual([null, null, 'relax']);
  });

  it('task ids look real (ms timestamp + 3 digits) and are unique; lastTaskId follows', async () => {
    const client = clientFor(sim);
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push((await client.imagine({ prompt: `p${i}` })).taskId);
    for (const id of ids) expect(id).toMatch(/^\d{16}$/);
    expect(new Set(ids).size).toBe(20);
    expect(sim.lastTaskId()).toBe(ids.at(-1));
  });

  it('waitForRequest resolves for past and future requests and rejects on timeout', async () => {
    const client = clientFor(sim);
    await client.imagine({ prompt: 'x' });
    await expect(sim.waitForRequest((r) => r.endpoint === 'submit/imagine')).resolves.toMatchObject({
      method: 'POST',
    });
    const pending = sim.waitForRequest((r) => r.endpoint === 'task/fetch');
    void client.fetch('1');
    await expect(pending).resolves.toMatchObject({ taskId: '1' });
    await expect(sim.waitForRequest(() => false, 20)).rejects.toThrow(/nothing matched/);
  });

  it('a fault gated on a promise: recorded before it is answered, answered when released', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    sim.fault({ endpoint: /^submit\// }, { until: gate });
    const submitted = clientFor(sim).imagine({ prompt: 'x' });
    const seen = await sim.waitForRequest((r) => r.endpoint === 'submit/imagine');
    expect(seen.body).toEqual({ prompt: 'x' });
    expect(sim.tasks.size).toBe(0);
    release();
    await expect(submitted).resolves.toMatchObject({ kind: 'accepted' });
    expect(sim.tasks.size).toBe(1);
  });

  it('faults apply `times` times, then normal answers resume; delayMs answers late', async () => {
    sim.fault({ endpoint: 'task/fetch' }, { http: 500, body: 'boom', contentType: 'text/plain' }, 2);
    const auth = { authorization: 'Bearer test-key' };
    expect((await get('/mj/task/1/fetch', auth)).status).toBe(500);
    expect((await get('/mj/task/1/fetch', auth)).status).toBe(500);
    expect((await get('/mj/task/1/fetch', auth)).status).toBe(204);
    // Late, not by a measured time: the request is in while its answer is still pending, then it comes.
    sim.fault({}, { delayMs: 500 });
    let answered = false;
    const before = sim.requests.length;
    const late = get('/mj/task/1/fetch', auth).then((r) => {
      answered = true;
      return r;
    });
    await sim.waitForRequest(() => sim.requests.length > before);
    expect(answered).toBe(false);
    expect((await late).status).toBe(204);
  });

  it('tasks advance only when the test says so', async () => {
    const client = clientFor(sim);
    const { taskId } = await client.imagine({ prompt: 'x' });
    expect(sim.task(taskId)).toMatchObject({ status: 'NOT_START', progress: null, startTime: null });
    sim.start(taskId);
    expect(sim.task(taskId)).toMatchObject({ status: 'SUBMITTED', progress: '0%' });
    sim.fail(taskId, '[Banned prompt detected] Sorry!');
    expect(await client.fetch(taskId)).toMatchObject({
      status: 'FAILURE',
      progress: '',
      failReason: '[Banned prompt detected] Sorry!',
    });
    sim.forget(taskId);
    expect(await client.fetch(taskId)).toBeNull();
    expect(() => sim.start('nope')).toThrow(/unknown task/);
  });
});
