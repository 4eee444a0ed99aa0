import type { MjSimulator } from '../../emulators/midjourney/index.js';
import { MjClient, type MjClientOptions } from '../../src/upstream/client.js';
import { MjError, type MjErrorKind } from '../../src/upstream/errors.js';
import { type Clock, systemClock } from '../../src/util/clock.js';

/**
 * A clock whose sleeps record their delay and end at once, moving time forward by it. Its timers (the
 * transport's request timeouts) run in real time; tests of a timeout use a `FakeClock` instead.
 */
export class InstantClock implements Clock {
  readonly delays: number[] = [];
  constructor(private t = 1_700_000_000_000) {}

  now(): number {
    return this.t;
  }

  async sleep(ms: number): Promise<void> {
    this.delays.push(ms);
    this.t += ms;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    return systemClock.setTimeout(fn, ms);
  }
}

/** Collects logger calls. */
export function memoryLogger() {
  const lines: { level: string; obj: object; msg: string }[] = [];
  return {
    lines,
    warn: (obj: object, msg: string) => void lines.push({ level: 'warn', obj, msg }),
    debug: (obj: object, msg: string) => void lines.push({ level: 'debug', obj, msg }),
  };
}

/** A client pointed at the simulator with the simulator's default key, fast mode and an instant clock. */
export function clientFor(sim: MjSimulator, overrides: Partial<MjClientOptions> = {}): MjClient {
  return new MjClient({
    baseUrl: sim.baseUrl,
    apiKey: 'test-key',
    mode: 'fast',
    clock: new InstantClock(),
    random: () => 1,
    ...overrides,
  });
}

/** Awaits `p`, expecting an `MjError` of `kind`; returns it. */
export async function expectMjError(p: Promise<unknown>, kind: MjErrorKind): Promise<MjError> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof MjError)) throw new Error(`expected MjError(${kind}), got ${String(err)}`);
    if (err.kind !== kind) throw new Error(`expected MjError(${kind}), got ${err.kind}: ${err.message}`);
    return err;
  }
  throw new Error(`expected MjError(${kind}), but it resolved`);
}

/** A tiny valid data URL. */
export const DATA_URL = 'data:image/png;base64,iVBORw0KGgo=';
