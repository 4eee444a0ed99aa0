import type { Config } from '../config.js';
import type { PrefsStore } from '../jobs/prefs.js';
import type { Jobs } from '../jobs/service.js';
import type { JobStore } from '../jobs/store.js';
import type { Logger } from '../log.js';
import type { MjClient } from '../upstream/client.js';
import type { Clock } from '../util/clock.js';
import type { Publisher } from './publisher.js';

/** What every interaction handler may use. Built once in `app.ts`. */
export interface BotContext {
  config: Config;
  logger: Logger;
  clock: Clock;
  jobs: Jobs;
  store: JobStore;
  prefs: PrefsStore;
  upstream: MjClient;
  publisher: Publisher;
  /** Keys of button presses being handled now, so a double click starts one action. */
  inFlight: Set<string>;
}
