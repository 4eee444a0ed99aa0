/** What the playground's server sends its page (types only: imported by the server and by `web/`). */

/** Raw Discord JSON (components, embeds, command definitions) as the bot sent it. */
// biome-ignore lint/suspicious/noExplicitAny: Discord API JSON, rendered as it comes.
export type Json = any;

export interface ViewAttachment {
  id: string;
  filename: string;
  url: string;
  contentType: string | null;
  size: number;
}

export interface ViewMessage {
  id: string;
  channelId: string;
  /** The bot's id or a person's. */
  authorId: string;
  content: string;
  embeds: Json[];
  components: Json[];
  attachments: ViewAttachment[];
  /** Ephemeral: shown only to this person ("Only you can see this"). */
  visibleTo: string | null;
  /** A deferred reply not yet written ("… is thinking"). */
  loading: boolean;
  edited: boolean;
  deleted: boolean;
  createdAt: number;
  /** The message this one replies to. */
  replyTo: string | null;
  /** Who ran which command (or pressed which button) to get this message. */
  via: { userId: string; command: string | null } | null;
}

export interface ViewUser {
  id: string;
  username: string;
  role: 'owner' | 'member' | 'moderator';
}

export interface ViewWorld {
  guild: { id: string; name: string };
  channels: { id: string; name: string }[];
  users: ViewUser[];
  bot: { id: string; username: string };
  /** The DM channel between each person and the bot, by user id. */
  dms: Record<string, string>;
  /** Where the images come from: the simulator, or the real upstream. */
  upstream: 'simulator' | 'real';
}

/** A pop-up the bot showed to `userId`. */
export interface ViewModal {
  userId: string;
  customId: string;
  title: string;
  components: Json[];
  messageId: string | null;
  channelId: string;
}

export type ServerEvent =
  | { kind: 'message'; message: ViewMessage }
  | { kind: 'commands'; commands: Json[] }
  | { kind: 'modal'; modal: ViewModal }
  | { kind: 'notice'; userId: string; text: string };

export interface ViewState {
  world: ViewWorld;
  commands: Json[];
  messages: ViewMessage[];
}
