import type { MessageKey } from '../../i18n/index.js';
import type { EditorClaims } from './links.js';

/** Why the bot will not go on, as a catalogue key (the page shows it in the link's language). */
export interface EditorRefusal {
  ok: false;
  key: MessageKey;
  vars?: Record<string, string | number>;
}

/**
 * What the editor needs from the Discord side, injected by the composition root (`src/app.ts`) so `http/` never
 * imports `interactions/`: the job behind a link, and the start of its Vary (Region) child job.
 */
export interface EditorBackend {
  /** The image to paint on (the upstream's URL, fetched by the bot) and the prompt to start from. */
  open(claims: EditorClaims): Promise<{ ok: true; prompt: string; imageUrl: string } | EditorRefusal>;
  /**
   * Starts the child job as the pop-up's submit does (`/mj/submit/action`, then `/mj/submit/modal` with the mask
   * and the prompt); its message replies to the parent in the channel. Resolves with that message's jump link.
   */
  start(
    claims: EditorClaims,
    input: { prompt: string; maskDataUrl: string },
  ): Promise<{ ok: true; url: string | null } | EditorRefusal>;
}
