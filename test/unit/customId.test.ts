import { describe, expect, it } from 'vitest';
import { type CustomIdData, makeCustomId, parseCustomId } from '../../src/render/customId.js';

const ALL: CustomIdData[] = [
  { kind: 'btn', jobId: 'abc123', index: 0 },
  { kind: 'btn', jobId: 'A-b_c', index: 24 },
  { kind: 'pick', jobId: 'job1', n: 1 },
  { kind: 'pick', jobId: 'job1', n: 5 },
  { kind: 'pickall', jobId: 'job1' },
  { kind: 'redescribe', jobId: 'job1' },
  { kind: 'remix', jobId: 'job1' },
  { kind: 'seed', jobId: 'job1' },
  { kind: 'retry', jobId: 'job1' },
  { kind: 'cancel', jobId: 'job1' },
  { kind: 'delete', jobId: 'job1' },
  { kind: 'dm', jobId: 'job1' },
  { kind: 'modal', form: 'zoom', jobId: 'job1', index: 9 },
  { kind: 'modal', form: 'region', jobId: 'job1', index: 3 },
  { kind: 'modal', form: 'remix', jobId: 'job1', index: 0 },
  { kind: 'modal', form: 'pick', jobId: 'job1', index: 2 },
  { kind: 'modal', form: 'press', jobId: 'job1', index: 5 },
  { kind: 'settings', field: 'remix' },
  { kind: 'settings', field: 'version.6-1' },
];

describe('makeCustomId / parseCustomId', () => {
  it.each(ALL)('round-trips %o', (data) => {
    const id = makeCustomId(data);
    expect(id.startsWith('mj1:')).toBe(true);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseCustomId(id)).toEqual(data);
  });

  it('uses the documented grammar', () => {
    expect(makeCustomId({ kind: 'btn', jobId: 'j1', index: 4 })).toBe('mj1:btn:j1:4');
    expect(makeCustomId({ kind: 'modal', form: 'zoom', jobId: 'j1', index: 7 })).toBe('mj1:modal:zoom:j1:7');
    expect(makeCustomId({ kind: 'cancel', jobId: 'j1' })).toBe('mj1:cancel:j1');
  });

  it('fits the longest job id well within 100 characters', () => {
    const id = makeCustomId({ kind: 'modal', form: 'region', jobId: 'x'.repeat(24), index: 999 });
    expect(id.length).toBeLessThanOrEqual(100);
  });

  it('refuses ":" in an argument', () => {
    expect(() => makeCustomId({ kind: 'btn', jobId: 'a:b', index: 1 })).toThrow(RangeError);
    expect(() => makeCustomId({ kind: 'settings', field: 'mode:fast' })).toThrow(RangeError);
  });

  it('refuses what it could not parse back', () => {
    expect(() => makeCustomId({ kind: 'btn', jobId: 'x'.repeat(25), index: 1 })).toThrow(RangeError);
    expect(() => makeCustomId({ kind: 'btn', jobId: '', index: 1 })).toThrow(RangeError);
    expect(() => makeCustomId({ kind: 'btn', jobId: 'j', index: -1 })).toThrow(RangeError);
    expect(() => makeCustomId({ kind: 'btn', jobId: 'j', index: 1.5 })).toThrow(RangeError);
    expect(() => makeCustomId({ kind: 'btn', jobId: 'j', index: 1000 })).toThrow(RangeError);
    expect(() => makeCustomId({ kind: 'pick', jobId: 'j', n: 0 })).toThrow(RangeError);
    expect(() => makeCustomId({ kind: 'settings', field: 'f'.repeat(65) })).toThrow(RangeError);
  });

  it('refuses anything longer than 100 characters', () => {
    expect(parseCustomId(`mj1:settings:${'a'.repeat(100)}`)).toBeNull();
  });

  it.each([
    '',
    'mj1',
    'mj1:',
    'mj1::',
    'MJ::JOB::upsample::1::3eaa7c0c-9825-4110-9c89-02c4e463a8d0',
    'foo:btn:j1:1',
    'MJ1:btn:j1:1',
    'mj0:btn:j1:1',
    'mj2:btn:j1:1',
    'mj1:nope:j1',
    'mj1:btn',
    'mj1:btn:j1',
    'mj1:btn:j1:',
    'mj1:btn::1',
    'mj1:btn:j1:1:2',
    'mj1:btn:j1:x',
    'mj1:btn:j1:-1',
    'mj1:btn:j1:1.0',
    'mj1:btn:j1:01',
    'mj1:btn:j1: 1',
    'mj1:btn:j1:1e2',
    'mj1:btn:j1:1000',
    'mj1:btn:j1:99999999999999999999',
    'mj1:btn:j/1:1',
    'mj1:btn:j 1:1',
    `mj1:btn:${'x'.repeat(25)}:1`,
    'mj1:pick:j1:0',
    'mj1:pick:j1',
    'mj1:cancel',
    'mj1:cancel:',
    'mj1:cancel:j1:extra',
    'mj1:cancel:j1:',
    'mj1:delete:j1:btn:2',
    'mj1:modal:zoom:j1',
    'mj1:modal:blend:j1:1',
    'mj1:modal:j1:1',
    'mj1:modal:zoom:j1:1:2',
    'mj1:modal:zoom:j1:-3',
    'mj1:settings',
    'mj1:settings:',
    'mj1:settings:a:b',
    'mj1:settings:a b',
    'mj1:__proto__:j1',
    'mj1:constructor:j1',
  ])('returns null for %j', (raw) => {
    expect(parseCustomId(raw)).toBeNull();
  });

  it('returns null for non-strings', () => {
    expect(parseCustomId(undefined as unknown as string)).toBeNull();
    expect(parseCustomId(42 as unknown as string)).toBeNull();
  });
});
