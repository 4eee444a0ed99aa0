import type { MessageRef } from '../jobs/types.js';

/** Jump link to a message. */
export function messageUrl(ref: MessageRef): string | null {
  if (!ref.messageId) return null;
  return `https://discord.com/channels/${ref.guildId ?? '@me'}/${ref.channelId}/${ref.messageId}`;
}
