import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Config } from '../config.js';
import type { ResultMailer } from '../delivery/mailer.js';
import type { Publisher } from '../delivery/publisher.js';
import type { EditorPress } from '../http/editor/links.js';
import type { GuildSettingsStore } from '../jobs/guildSettings.js';
import type { PrefsStore } from '../jobs/prefs.js';
import type { LocalQueue } from '../jobs/queue.js';
import type { SeenLocales } from '../jobs/seenLocale.js';
import type { Jobs } from '../jobs/service.js';
import type { JobStore } from '../jobs/store.js';
import type { Logger } from '../log.js';
import type { MjClient } from '../upstream/client.js';
import type { Clock } from '../util/clock.js';

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
  /** Per-server settings (`/mj-admin`). */
  guilds: GuildSettingsStore;
  /** Limits, quota and the local queue every job goes through (`startJob`). */
  queue: LocalQueue;
  /** The language each user's client last reported (for plain DMs). */
  seenLocales: SeenLocales;
  /** Sends finished jobs to DMs (✉️, auto-DM). */
  mailer: ResultMailer;
  /** Definitions of the loaded slash commands (for /help). */
  commandList: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  /** The Vary (Region) editor in the browser (with PUBLIC_URL): signed links for a press; absent → the pop-up. */
  regionEditor?: RegionEditorLinks | null;
}

/** Makes the editor's link for one press (see `http/editor/links.ts`). */
export interface RegionEditorLinks {
  /** Minutes a link stays valid. */
  minutes: number;
  urlFor(press: EditorPress): string;
}
