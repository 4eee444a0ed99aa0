import { describe, expect, it } from 'vitest';
import { eventOf, type JobEvent, LocalJobEvents } from '../../src/jobs/events.js';
import type { JobPhase } from '../../src/jobs/types.js';
import { capturingLogger, makeJob, silentLogger } from '../support/jobs.js';

const finished = (): JobEvent => ({
  type: 'finished',
  from: 'tracking',
  job: makeJob({
    phase: 'succeeded',
    task: {
      status: 'SUCCESS',
      progress: 100,
      imageUrl: 'https://cdn.example/a.png',
      buttons: [{ customId: 'MJ::JOB::upsample::1::h', label: 'U1', emoji: '', style: 2, type: 2 }],
      failReason: null,
      finalPrompt: null,
      promptEn: 'a fox',
      description: null,
      action: 'IMAGINE',
      mode: 'fast',
      finishTime: 1,
    },
    message: {
      guildId: '1',
      channelId: '2',
      messageId: '3',
      interaction: { applicationId: 'app', token: 'tok', expiresAt: 9 },
      finalShown: false,
    },
  }),
});

describe('LocalJobEvents', () => {
  it('hands each event to the handlers of its type and of "*", in the order they subscribed', () => {
    const bus = new LocalJobEvents(silentLogger);
    const seen: string[] = [];
    bus.on('*', (e) => seen.push(`all:${e.type}`));
    bus.on('finished', (e) => seen.push(`finished:${e.job.id}`));
    bus.on('failed', () => seen.push('failed'));
    bus.on('*', (e) => seen.push(`all2:${e.type}`));
    bus.emit(finished());
    bus.emit({ type: 'progressed', from: 'tracking', job: makeJob() });
    expect(seen).toEqual([
      'all:finished',
      'finished:job1',
      'all2:finished',
      'all:progressed',
      'all2:progressed',
    ]);
  });

  it('unsubscribes a handler, and only that one', () => {
    const bus = new LocalJobEvents(silentLogger);
    const seen: string[] = [];
    const off = bus.on('finished', () => seen.push('a'));
    bus.on('finished', () => seen.push('b'));
    bus.emit(finished());
    off();
    off(); // twice is harmless
    bus.emit(finished());
    expect(seen).toEqual(['a', 'b', 'b']);
  });

  it('logs a handler that throws (or rejects) with its error, and still runs the others', async () => {
    const { logger, lines } = capturingLogger();
    const bus = new LocalJobEvents(logger);
    const seen: string[] = [];
    bus.on('*', () => {
      throw new Error('boom');
    });
    bus.on('*', async () => {
      throw new Error('later boom');
    });
    bus.on('*', () => seen.push('after'));
    expect(() => bus.emit(finished())).not.toThrow();
    expect(seen).toEqual(['after']);
    await Promise.resolve(); // the rejection is caught on the next turn of the microtask queue
    const failures = lines.filter((l) => l.msg === 'a job event handler failed');
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ event: 'finished', jobId: 'job1', err: { message: 'boom' } });
    expect(String((failures[0]?.err as { stack?: string } | undefined)?.stack)).toContain('events.test.ts');
    expect(failures[1]).toMatchObject({ err: { message: 'later boom' } });
  });

  it('a handler that subscribes while an event is handed out hears the next event, not this one', () => {
    const bus = new LocalJobEvents(silentLogger);
    const seen: string[] = [];
    bus.on('*', () => {
      bus.on('*', (e) => seen.push(`late:${e.type}`));
    });
    bus.emit(finished());
    expect(seen).toEqual([]);
    bus.emit({ type: 'failed', from: 'tracking', job: makeJob({ phase: 'failed' }) });
    expect(seen).toEqual(['late:failed']);
  });

  it('events are plain data: a structured clone and a JSON round trip give the same event', () => {
    const event = finished();
    expect(structuredClone(event)).toEqual(event);
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });
});

describe('eventOf', () => {
  const of = (previous: JobPhase | null, phase: JobPhase) =>
    eventOf(previous ? { phase: previous } : null, makeJob({ phase })).type;

  it('names the change from the phase before and after', () => {
    expect(of('queued', 'queued')).toBe('queued'); // moved up in line
    expect(of('queued', 'submitting')).toBe('released');
    expect(of('submitting', 'tracking')).toBe('accepted');
    expect(of('modal', 'tracking')).toBe('accepted'); // a pop-up confirmed
    expect(of('failed', 'tracking')).toBe('accepted'); // reopened: running again upstream
    expect(of('tracking', 'tracking')).toBe('progressed');
    expect(of('tracking', 'modal')).toBe('paused');
    expect(of('submitting', 'modal')).toBe('paused');
    expect(of('tracking', 'succeeded')).toBe('finished');
    expect(of('tracking', 'failed')).toBe('failed');
    expect(of('queued', 'failed')).toBe('failed'); // cancelled while waiting
  });

  it('carries the job as saved', () => {
    const job = makeJob({ phase: 'succeeded' });
    expect(eventOf({ phase: 'tracking' }, job)).toEqual({ type: 'finished', from: 'tracking', job });
    expect(eventOf(undefined, makeJob({ phase: 'queued' }))).toMatchObject({ type: 'queued', from: null });
  });
});
