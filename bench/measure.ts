import type { FakeMessage, RestCall } from '../emulators/discord/index.js';

/** What one run measured. */
export interface RunResult {
  scenario: string;
  tracker: string;
  jobs: number;
  upstreamPerJob: number;
  upstreamSubmitsPerJob: number;
  discordPerJob: number;
  rateLimited: number;
  finalP50Ms: number | null;
  finalP95Ms: number | null;
  /** The p95 no tracker can beat: finals alone, each sent the moment its task ended, within Discord's limits. */
  boundP95Ms: number | null;
  ackP99Ms: number | null;
  peakRssMb: number;
  cpuSeconds: number;
  /** How the upstream reads were made (see `TimedUpstream.reads`), where the run counted them. */
  reads?: string;
  /** Jobs whose result never reached Discord within the run's horizon. */
  missing: number;
  wallSeconds: number;
}

/** One injected interaction and what became of it. */
export interface Injected {
  prompt: string;
  interactionId: string;
  token: string;
  injectedAt: number;
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? null;
}

/** A successful write of a job's final state: it uploads the final image, or links it (`…/final.png`). */
function isFinalWrite(call: RestCall): boolean {
  if (call.status !== 200 || (call.method !== 'PATCH' && call.method !== 'POST')) return false;
  return call.files.length > 0 || JSON.stringify(call.body ?? null).includes('/final.png');
}

/** True when a message shows a job's final image. */
export function showsResult(m: FakeMessage): boolean {
  return m.attachments.length > 0 || JSON.stringify(m.embeds).includes('/final.png');
}

/**
 * Per job: acknowledgement delay (interaction injected → its callback reached the fake) and completion-to-final
 * delay (task SUCCESS upstream → first write of the final state reached the fake). Times are the fakes' Date.now().
 */
export function delays(
  calls: RestCall[],
  injected: Injected[],
  completedAt: Map<string, number>,
  messageOf: (interactionId: string) => string | null,
): { acks: number[]; finals: number[]; missing: number } {
  const byToken = new Map(injected.map((j) => [j.token, j]));
  const byInteraction = new Map(injected.map((j) => [j.interactionId, j]));
  const byMessage = new Map<string, Injected>();
  for (const j of injected) {
    const id = messageOf(j.interactionId);
    if (id) byMessage.set(id, j);
  }
  const ackAt = new Map<Injected, number>();
  const finalAt = new Map<Injected, number>();
  for (const call of calls) {
    const parts = call.path.split('/');
    if (call.route === '/interactions/:interaction/:token/callback') {
      const j = byInteraction.get(parts[2] ?? '');
      if (j && !ackAt.has(j)) ackAt.set(j, call.at);
      continue;
    }
    if (!isFinalWrite(call)) continue;
    const j = parts[1] === 'webhooks' ? byToken.get(parts[3] ?? '') : byMessage.get(parts[4] ?? '');
    if (j && !finalAt.has(j)) finalAt.set(j, call.at);
  }
  const acks: number[] = [];
  const finals: number[] = [];
  let missing = 0;
  for (const j of injected) {
    const ack = ackAt.get(j);
    if (ack !== undefined) acks.push(ack - j.injectedAt);
    const done = completedAt.get(j.prompt);
    const shown = finalAt.get(j);
    if (done !== undefined && shown !== undefined) finals.push(shown - done);
    else missing += 1;
  }
  return { acks, finals, missing };
}

/**
 * The floor of completion-to-final delays that Discord's limits force on any tracker: if only the final states
 * were written, each the instant its task ended, in order of completion, the per-channel budget (channel by
 * channel) and, for writes sent with the bot token, the bot-wide 50 requests/s (`global`; null for writes through
 * interaction tokens, which Discord does not count there) would still hold some back. Each limit is applied alone
 * (a lower bound of the two together); per job the larger of the two delays counts.
 */
export function physicalFloor(
  completions: Array<{ channel: string; at: number }>,
  channel: { limit: number; windowMs: number },
  global: { limit: number; windowMs: number } | null = { limit: 50, windowMs: 1_000 },
): number[] {
  const ordered = [...completions].sort((a, b) => a.at - b.at);
  // One resource, releases in order, first come first served: the send times never decrease.
  const fifo = (times: number[], limit: number, windowMs: number): number[] => {
    const sent: number[] = [];
    return times.map((t) => {
      const at = sent.length < limit ? t : Math.max(t, (sent[sent.length - limit] as number) + windowMs);
      sent.push(at);
      return at - t;
    });
  };
  const overall = global
    ? fifo(
        ordered.map((c) => c.at),
        global.limit,
        global.windowMs,
      )
    : ordered.map(() => 0);
  const byChannel = new Map<string, number[]>();
  ordered.forEach((c, i) => {
    const list = byChannel.get(c.channel) ?? [];
    list.push(i);
    byChannel.set(c.channel, list);
  });
  const delays = [...overall];
  for (const indexes of byChannel.values()) {
    const local = fifo(
      indexes.map((i) => (ordered[i] as { at: number }).at),
      channel.limit,
      channel.windowMs,
    );
    indexes.forEach((i, k) => {
      delays[i] = Math.max(delays[i] as number, local[k] as number);
    });
  }
  return delays;
}
