/** Message create/edit routes spend their channel's budget (see ratelimit.ts) before they run. */
import type { Reply } from './http.js';
import type { FakeState } from './state.js';

/** Runs `run` if `channelId` has budget left (adding the budget headers), else answers 429. */
export function spendChannelBudget(state: FakeState, channelId: string, run: () => Reply): Reply {
  if (!state.limiter) return run();
  const take = state.limiter.take(channelId);
  if (!take.ok) {
    state.rateLimited += 1;
    return take.reply;
  }
  const reply = run();
  return { ...reply, headers: { ...take.headers, ...reply.headers } };
}
