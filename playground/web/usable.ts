/** Which of the bot's registered commands the current person may use here, as Discord's pickers filter them. */
import type { Json } from '../shared.js';
import { inDm, me } from './store.js';

const EVERYONE = 2248473465835073n;
const PERMS = { owner: (1n << 53n) - 1n, moderator: EVERYONE | (1n << 5n), member: EVERYONE };

/** Slash commands are type 1 (or no type), message context menus type 3. */
export const SLASH = 1;
export const MESSAGE_MENU = 3;

/** `c` is of `type`, allowed in this context (server or DM) and by the person's permissions in the server. */
export function usableHere(c: Json, type: number): boolean {
  if ((c.type ?? SLASH) !== type) return false;
  const dm = inDm();
  if (Array.isArray(c.contexts) && !c.contexts.includes(dm ? 1 : 0)) return false;
  if (dm && c.dm_permission === false) return false;
  if (!dm && c.default_member_permissions != null) {
    const need = BigInt(c.default_member_permissions);
    if ((PERMS[me().role] & need) !== need) return false;
  }
  return true;
}
