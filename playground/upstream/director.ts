/**
 * The midjourney-proxy simulator made to feel real for the playground: every task a submit creates runs on a
 * timeline (queued, started, progress steps, done in ~20–40 s; `speed` scales it), with pictures drawn from the
 * prompt, at most `concurrency` jobs running at once (Midjourney's queue), and a failure when the prompt contains
 * the word `fail`. Test defaults of the simulator are untouched: all of this is the playground's configuration.
 */
import { MjSimulator, type SimTask } from '../../emulators/midjourney/index.js';
import { gridImage, upscaleImage, zoomedImage } from './images.js';

export interface DirectorOptions {
  apiKey: string;
  /** 1 = realistic timings; 0.05 → about twenty times faster (tests). */
  speed?: number;
  /** Jobs Midjourney runs at once; later ones wait in its queue (default 3, as a standard plan in fast mode). */
  concurrency?: number;
  /** POST each change to the task's notifyHook, as real proxies do. */
  notify?: boolean;
}

/** A prompt containing this word fails, as the README says. */
export const FAIL_WORD = /\bfail\b/i;

const STEPS = [0, 15, 31, 46, 62, 78, 93];

/** How long a task of `action` runs, in ms at speed 1. */
function durationOf(action: string): number {
  const between = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
  if (action === 'DESCRIBE' || action === 'SHORTEN') return between(5_000, 10_000);
  if (action === 'UPSCALE' || action === 'UPSCALE_HD') return between(8_000, 15_000);
  return between(20_000, 40_000);
}

export class Director {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiting: SimTask[] = [];
  private running = 0;
  private closed = false;
  private sim!: MjSimulator;

  private constructor(private readonly opts: Required<DirectorOptions>) {}

  static async start(options: DirectorOptions): Promise<{ sim: MjSimulator; director: Director }> {
    const director = new Director({ speed: 1, concurrency: 3, notify: false, ...options });
    director.sim = await MjSimulator.start({
      apiKey: options.apiKey,
      notify: director.opts.notify,
      onCreated: (task) => void director.arrive(task),
    });
    return { sim: director.sim, director };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    await this.sim.close();
  }

  private later(ms: number, fn: () => void | Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) Promise.resolve(fn()).catch(() => undefined);
    }, ms * this.opts.speed);
    this.timers.add(timer);
  }

  /** A new task: a pop-up first when it waits for one, then the queue. */
  private async arrive(task: SimTask): Promise<void> {
    if (task.status === 'MODAL') {
      const answered = await this.sim
        .waitForRequest((r) => r.endpoint === 'submit/modal' && r.body?.taskId === task.id, 24 * 3_600_000)
        .then(
          () => true,
          () => false,
        );
      if (!answered) return;
    }
    this.later(1_000, () => {
      this.sim.start(task.id); // SUBMITTED, 0%: waiting in Midjourney's queue
      this.waiting.push(task);
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.opts.concurrency) {
      const task = this.waiting.shift();
      if (!task) return;
      this.running += 1;
      this.run(task);
    }
  }

  private run(task: SimTask): void {
    const total = durationOf(task.action);
    const fails = FAIL_WORD.test(task.prompt ?? '');
    const steps = fails ? STEPS.slice(0, 3) : STEPS;
    for (const [i, pct] of steps.entries()) {
      this.later((total * i) / STEPS.length, () => this.sim.progress(task.id, pct));
    }
    this.later(fails ? total / 2 : total, async () => {
      try {
        if (fails)
          this.sim.fail(
            task.id,
            'Job failed: the prompt contains "fail" (the playground fails it on purpose)',
          );
        else this.sim.succeed(task.id, { imageBytes: await this.picture(task) });
      } finally {
        this.running -= 1;
        this.next();
      }
    });
  }

  /** What the finished task shows, drawn from its prompt (or its parent's picture). */
  private async picture(task: SimTask): Promise<Buffer> {
    const prompt = task.prompt || 'untitled';
    const parent = task.parentId ? this.sim.tasks.get(task.parentId) : undefined;
    const variant = this.sim.created.indexOf(task.id) + 1;
    switch (task.action) {
      case 'UPSCALE':
        return parent?.imageBytes
          ? upscaleImage(parent.imageBytes, Number(task.properties.action_index) || 1)
          : gridImage(prompt);
      case 'UPSCALE_HD':
        return parent?.imageBytes ?? gridImage(prompt);
      case 'ZOOM':
      case 'PAN':
        return zoomedImage(await gridImage(prompt, variant), prompt);
      case 'DESCRIBE': {
        const data = /^data:[^,]+,(.*)$/s.exec(String(task.request.base64 ?? ''))?.[1];
        return data ? Buffer.from(data, 'base64') : gridImage('describe');
      }
      default:
        return gridImage(prompt, task.action === 'IMAGINE' ? 0 : variant);
    }
  }
}
