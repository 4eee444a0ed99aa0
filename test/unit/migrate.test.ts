import { describe, expect, it } from 'vitest';
import { type JobV1, migrateJob } from '../../src/jobs/migrate.js';
import { JOB_SCHEMA_VERSION, type Job } from '../../src/jobs/types.js';
import { makeJob } from '../support/jobs.js';

/** A record as version 1 wrote it: no schemaVersion, no request, the submit's inputs in `repeat`. */
function v1(patch: Partial<JobV1> = {}): JobV1 {
  const { schemaVersion: _v, request: _r, ...job } = makeJob({ mode: 'relax', botType: 'NIJI_JOURNEY' });
  return { ...job, ...patch };
}

describe('migrateJob', () => {
  it('leaves a record of this version as it is', () => {
    const job = makeJob();
    expect(migrateJob(job)).toBe(job);
    expect(JOB_SCHEMA_VERSION).toBe(2);
  });

  it('brings a version-1 /imagine to version 2: its request from the prompt, mode, bot and image URLs', () => {
    const urls = ['https://cdn.example/a.png', 'https://cdn.example/b.png'];
    const old = v1({ prompt: 'a fox', imageCount: 2, repeat: { imageUrls: urls } });
    const job = migrateJob(old);
    expect(job.schemaVersion).toBe(2);
    expect(job.request).toEqual({
      kind: 'imagine',
      mode: 'relax',
      botType: 'NIJI_JOURNEY',
      prompt: 'a fox',
      imageUrls: urls,
    });
    expect(job).not.toHaveProperty('repeat');
    // Everything else is kept as it was.
    const { schemaVersion: _v, request: _r, ...rest } = job;
    const { repeat: _old, ...before } = old;
    expect(rest).toEqual(before);
  });

  it.each<[string, Partial<JobV1>, Job['request']]>([
    [
      'an /imagine without image prompts (a picked prompt, an old record)',
      { prompt: 'p', imageCount: 0 },
      { kind: 'imagine', mode: 'relax', botType: 'NIJI_JOURNEY', prompt: 'p', imageUrls: [] },
    ],
    ['an /imagine whose image prompts were not kept', { imageCount: 1 }, null],
    [
      'a /blend with its dimensions',
      {
        kind: 'blend',
        prompt: '',
        imageCount: 2,
        repeat: { imageUrls: ['u1', 'u2'], dimensions: 'PORTRAIT' },
      },
      {
        kind: 'blend',
        mode: 'relax',
        botType: 'NIJI_JOURNEY',
        imageUrls: ['u1', 'u2'],
        dimensions: 'PORTRAIT',
      },
    ],
    [
      'a /blend without dimensions (square)',
      { kind: 'blend', prompt: '', imageCount: 2, repeat: { imageUrls: ['u1', 'u2'] } },
      {
        kind: 'blend',
        mode: 'relax',
        botType: 'NIJI_JOURNEY',
        imageUrls: ['u1', 'u2'],
        dimensions: 'SQUARE',
      },
    ],
    ['a /blend without its images', { kind: 'blend', prompt: '', imageCount: 2 }, null],
    [
      'a /describe of an attachment',
      { kind: 'describe', prompt: '', imageCount: 1, repeat: { imageUrls: ['u1'] } },
      { kind: 'describe', mode: 'relax', botType: 'NIJI_JOURNEY', source: { imageUrl: 'u1' } },
    ],
    [
      'a /describe of a link',
      { kind: 'describe', prompt: '', imageCount: 1, repeat: { link: 'https://example.com/a.png' } },
      {
        kind: 'describe',
        mode: 'relax',
        botType: 'NIJI_JOURNEY',
        source: { link: 'https://example.com/a.png' },
      },
    ],
    ['a /describe without its image', { kind: 'describe', prompt: '', imageCount: 1 }, null],
    [
      'a /shorten',
      { kind: 'shorten', prompt: 'a long prompt' },
      { kind: 'shorten', mode: 'relax', botType: 'NIJI_JOURNEY', prompt: 'a long prompt' },
    ],
    [
      'a button press',
      { kind: 'action', repeat: { action: { taskId: 't1', customId: 'MJ::JOB::upsample::1::h' } } },
      { kind: 'action', mode: 'relax', taskId: 't1', customId: 'MJ::JOB::upsample::1::h' },
    ],
    ['a button press without its button', { kind: 'action' }, null],
    [
      'a pop-up (its mask and how its prompt was sent were not kept)',
      { kind: 'modal', repeat: { action: { taskId: 't1', customId: 'MJ::Inpaint::1::h::SOLO' } } },
      null,
    ],
  ])('%s', (_name, patch, request) => {
    const job = migrateJob(v1(patch));
    expect(job.schemaVersion).toBe(2);
    expect(job.request).toEqual(request);
  });

  it('reads a record that went through JSON (as the store keeps it)', () => {
    const old = JSON.parse(JSON.stringify(v1({ repeat: { imageUrls: [] } })));
    expect(migrateJob(old).request).toMatchObject({ kind: 'imagine', prompt: 'a red fox in the snow' });
  });
});
