import type Keyv from 'keyv';
import type { BotType, Mode } from '../upstream/types.js';

/** A user's stored preferences. Explicit command options override them. */
export interface UserPrefs {
  /** Default speed mode; null → the bot's MJ_MODE. */
  mode: Mode | null;
  /** Default bot; null → Midjourney. */
  botType: BotType | null;
  /** Open the edit-prompt pop-up before V / Vary / pan / reroll and send `enableRemix`. */
  remix: boolean;
  /** Parameters appended to every prompt (like `/prefer suffix`), e.g. `--ar 3:2 --v 6.1`. */
  suffix: string;
  /** Show results only to the user. */
  private: boolean;
  /** Send finished jobs to the user's DMs. */
  autoDm: boolean;
  /** Language chosen for DMs where no interaction locale is known; null → from the last interaction. */
  locale: string | null;
}

export const DEFAULT_PREFS: Readonly<UserPrefs> = Object.freeze({
  mode: null,
  botType: null,
  remix: false,
  suffix: '',
  private: false,
  autoDm: false,
  locale: null,
});

/** Per-user preferences on the same keyv as the jobs (`prefs:<userId>`). */
export class PrefsStore {
  constructor(private readonly keyv: Keyv) {}

  async get(userId: string): Promise<UserPrefs> {
    const stored = (await this.keyv.get<Partial<UserPrefs>>(`prefs:${userId}`)) ?? {};
    return { ...DEFAULT_PREFS, ...stored };
  }

  /** Changes some preferences; returns the result. */
  async set(userId: string, patch: Partial<UserPrefs>): Promise<UserPrefs> {
    const next = { ...(await this.get(userId)), ...patch };
    await this.keyv.set(`prefs:${userId}`, next);
    return next;
  }
}
