/** The playground's Discord: one server with a few text channels, three people, and the bot. */
import type { FakeGuildSpec } from '../emulators/discord/index.js';

export const GUILD_ID = '700000000000000001';
export const MOD_ROLE_ID = '700000000000000050';
/** Manage Server (1 << 5): what the bot treats as a server manager. */
const MANAGE_GUILD = String(1 << 5);

/** A person of the playground, as the page lets you switch between them. */
export interface PlaygroundUser {
  id: string;
  username: string;
  /** What the page says about this person. */
  role: 'owner' | 'member' | 'moderator';
}

export const USERS: readonly PlaygroundUser[] = [
  { id: '700000000000001001', username: 'olivia', role: 'owner' },
  { id: '700000000000001002', username: 'max', role: 'member' },
  { id: '700000000000001003', username: 'mia', role: 'moderator' },
];

export const CHANNELS = [
  { id: '700000000000000101', name: 'general' },
  { id: '700000000000000102', name: 'imagine' },
  { id: '700000000000000103', name: 'showcase' },
];

export const BOT_USER = { id: '700000000000000900', username: 'Midjourney Bot' };

/** The token the local Discord accepts (not a secret: it only opens the local emulator). */
export const FAKE_TOKEN = 'playground.local-discord.token';

export const GUILD: FakeGuildSpec = {
  id: GUILD_ID,
  name: 'Playground',
  ownerId: USERS[0]?.id,
  channels: CHANNELS,
  roles: [{ id: MOD_ROLE_ID, name: 'Moderator', permissions: MANAGE_GUILD }],
  members: USERS.map((u) => ({ userId: u.id, roles: u.role === 'moderator' ? [MOD_ROLE_ID] : [] })),
};

export function userById(id: string): PlaygroundUser | undefined {
  return USERS.find((u) => u.id === id);
}
