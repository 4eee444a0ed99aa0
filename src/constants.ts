/** Discord's size and count limits the bot respects (characters unless said otherwise). */
export const LIMITS = Object.freeze({
  customId: 100,
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFooter: 2048,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  modalTitle: 45,
  textInput: 4000,
  /** Upload limit when Discord does not tell us (`attachment_size_limit`): 10 MiB. */
  uploadBytes: 10_485_760,
});

/** Embed colours. */
export const COLORS = Object.freeze({
  running: 0x5865f2,
  success: 0x57f287,
  failure: 0xed4245,
});

/** The emoji the bot uses itself (buttons, reactions, numbering). */
export const EMOJI = Object.freeze({
  reroll: '🔄',
  vary: '🪄',
  region: '🖌️',
  zoom: '🔍',
  square: '↔️',
  panLeft: '⬅️',
  panRight: '➡️',
  panUp: '⬆️',
  panDown: '⬇️',
  animate: '🎞️',
  bookmark: '❤️',
  imagineAll: '🎉',
  retry: '🔁',
  seed: '🌱',
  edit: '✏️',
  cancel: '❌',
  delete: '🗑️',
  dm: '✉️',
});

/** Keycap digits 1️⃣…🔟, index 0 = 1️⃣. */
const KEYCAPS: readonly string[] = Object.freeze(['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣', '6️⃣', '7️⃣', '8️⃣', '9️⃣', '🔟']);

/** The keycap emoji for n (1-based), or `n.` past ten. */
export function keycap(n: number): string {
  return KEYCAPS[n - 1] ?? `${n}.`;
}
