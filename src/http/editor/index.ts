import type Keyv from 'keyv';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Clock } from '../../util/clock.js';
import { type EditorAssets, loadEditorAssets } from './assets.js';
import { type EditorClaims, EditorLinks } from './links.js';
import { EditorRoutes } from './routes.js';
import type { EditorBackend } from './types.js';

/** The editor's request body cap: the mask PNG as base64 plus the prompt (a painted mask is mostly flat). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface RegionEditor {
  routes: EditorRoutes;
  links: EditorLinks;
  /** Minutes a link stays valid. */
  minutes: number;
  /** The page's address for one press. */
  urlFor(press: Omit<EditorClaims, 'exp' | 'nonce'>): string;
}

/**
 * The Vary (Region) editor, when the bot has a public address and an HTTP server (PUBLIC_URL): its links signed
 * with a key derived from the callback secret, its routes, its page bundle (loaded once, on first use).
 */
export function createRegionEditor(
  config: Config,
  secret: string | null,
  o: { keyv: Keyv; clock: Clock; logger: Logger; backend: EditorBackend },
): RegionEditor | null {
  const base = config.publicUrl;
  if (!base || !secret || config.httpPort === null) return null;
  const links = new EditorLinks(secret, { keyv: o.keyv, clock: o.clock, ttlMs: config.editorLinkTtlMs });
  let assets: Promise<EditorAssets> | null = null;
  const routes = new EditorRoutes({
    links,
    backend: o.backend,
    logger: o.logger,
    assets: () => {
      assets ??= loadEditorAssets().catch((err: unknown) => {
        assets = null;
        throw err;
      });
      return assets;
    },
    maxImageBytes: Math.max(config.maxImageBytes, 32 * 1024 * 1024),
    maxBodyBytes: MAX_BODY_BYTES,
    maxPromptLength: config.maxPromptLength,
  });
  return {
    routes,
    links,
    minutes: Math.round(config.editorLinkTtlMs / 60_000),
    urlFor: (press) => `${base}/editor/${links.sign(press)}`,
  };
}
