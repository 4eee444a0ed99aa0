import { randomBytes } from 'node:crypto';
import { MjSimulator, makePng } from '../emulators/midjourney/index.js';
import { FINAL_IMAGE_BYTES, type PlannedJob, seeded, timeline } from './scenarios.js';

export const API_KEY = 'sk-bench-upstream-key-0123456789';

/**
 * The midjourney-proxy simulator on a clock: every task a submit creates runs the realistic timeline of its
 * planned job, in real (compressed) time. With `notify`, each change is also POSTed to the task's notifyHook,
 * best-effort, as NZ/TA do.
 */
export class TimedUpstream {
  /** When each job's task reached SUCCESS (Date.now()), by prompt. */
  readonly completedAt = new Map<string, number>();
  /** With callbacks: ms from SUCCESS to the bot's answer to its callback (it has then saved the result). */
  readonly callbackAnswered: number[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly byPrompt: Map<string, PlannedJob>;

  private constructor(
    readonly sim: MjSimulator,
    jobs: PlannedJob[],
  ) {
    this.byPrompt = new Map(jobs.map((j) => [j.prompt, j]));
  }

  static async start(jobs: PlannedJob[], notify: boolean): Promise<TimedUpstream> {
    const image = Buffer.concat([makePng(64, 64, 7), randomBytes(FINAL_IMAGE_BYTES)]);
    let self: TimedUpstream | null = null;
    const sim = await MjSimulator.start({
      apiKey: API_KEY,
      notify,
      onCreated: (task) => self?.run(task.id, task.prompt ?? '', image),
    });
    self = new TimedUpstream(sim, jobs);
    return self;
  }

  /** Upstream API requests (submits and reads; image downloads apart), by kind. */
  counts(): { submits: number; reads: number; total: number } {
    let submits = 0;
    let reads = 0;
    for (const r of this.sim.requests) {
      if (r.endpoint.startsWith('submit/')) submits += 1;
      else if (r.endpoint.startsWith('task/')) reads += 1;
    }
    return { submits, reads, total: submits + reads };
  }

  /** How the task reads were made: batched (list-by-condition, with their mean batch size) or one by one. */
  reads(): string {
    let lists = 0;
    let ids = 0;
    let fetches = 0;
    for (const r of this.sim.requests) {
      if (r.endpoint === 'task/list-by-condition') {
        lists += 1;
        const asked = (r.body as { ids?: unknown } | null)?.ids;
        ids += Array.isArray(asked) ? asked.length : 0;
      } else if (r.endpoint === 'task/fetch') fetches += 1;
    }
    const mean = lists > 0 ? (ids / lists).toFixed(1) : '—';
    return `${lists} list-by-condition (mean ${mean} ids), ${fetches} task/fetch`;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.sim.close();
  }

  private run(taskId: string, prompt: string, image: Buffer): void {
    const job = this.byPrompt.get(prompt);
    if (!job) return;
    const random = seeded(job.index + 1);
    for (const step of timeline(job.durationMs, random)) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (step.kind === 'start') this.sim.start(taskId);
        else if (step.kind === 'progress') this.sim.progress(taskId, step.pct ?? 0);
        else {
          this.sim.succeed(taskId, { imageBytes: image });
          const at = Date.now();
          this.completedAt.set(prompt, at);
          const note = this.sim.notifications.at(-1);
          if (note?.taskId === taskId)
            void note.answer.then(() => this.callbackAnswered.push(Date.now() - at));
        }
      }, step.at);
      this.timers.add(timer);
    }
  }
}
