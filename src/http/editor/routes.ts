import type { IncomingMessage, ServerResponse } from 'node:http';
import { type MessageKey, t } from '../../i18n/index.js';
import type { Logger } from '../../log.js';
import { checkMask } from '../../media/mask.js';
import { BodyTooLarge, readBody } from '../body.js';
import type { EditorAssets } from './assets.js';
import { BodyError, parseSubmit } from './body.js';
import { HTML, JSON_TYPE, send } from './headers.js';
import { EditorImages } from './images.js';
import type { EditorClaims, EditorLinks, LinkRefusal } from './links.js';
import { editorPage, refusalPage } from './page.js';
import type { EditorBackend } from './types.js';

export interface EditorRoutesOptions {
  links: EditorLinks;
  backend: EditorBackend;
  logger: Logger;
  assets: () => Promise<EditorAssets>;
  /** Largest image fetched for the page, in bytes. */
  maxImageBytes: number;
  /** Largest submit body (the mask as base64 + the prompt), in bytes. */
  maxBodyBytes: number;
  maxPromptLength: number;
}

const ROUTE = /^\/editor\/([^/]+)(?:\/(image|submit))?$/;
const ASSET = /^\/editor\/assets\/([\w.-]+)$/;
const REFUSAL_KEY: Record<LinkRefusal, MessageKey> = {
  forged: 'editor.forged',
  expired: 'editor.expired',
  used: 'editor.used',
};
const REFUSAL_STATUS: Record<LinkRefusal, number> = { forged: 403, expired: 410, used: 410 };

/**
 * The Vary (Region) editor: `GET /editor/<token>` (the page), `…/image` (the job's image, through the bot),
 * `POST …/submit` (mask + prompt → the child job), `GET /editor/assets/*`. Every request checks the token first;
 * a refused one gets a page (or JSON) saying why, and nothing reaches the upstream.
 */
export class EditorRoutes {
  private readonly images: EditorImages;
  /** Tokens whose submit is being handled now: a double submit is refused, not sent twice. */
  private readonly sending = new Set<string>();

  constructor(private readonly o: EditorRoutesOptions) {
    this.images = new EditorImages(o.maxImageBytes);
  }

  /** Handles `path` when it is the editor's; false when it is not. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const asset = ASSET.exec(path);
    if (asset) {
      const file = (await this.o.assets()).get(asset[1] ?? '');
      if (!file || req.method !== 'GET') send(res, 404, JSON_TYPE, '{}');
      else send(res, 200, file.type, file.body, 'public, max-age=300');
      return true;
    }
    const route = ROUTE.exec(path);
    if (!route) return false;
    const token = decodeURIComponent(route[1] ?? '');
    const part = route[2] ?? 'page';
    const wanted = part === 'submit' ? 'POST' : 'GET';
    if (req.method !== wanted) {
      res.writeHead(405, { allow: wanted }).end();
      return true;
    }
    const check = await this.o.links.verify(token);
    const locale = check.ok ? check.claims.locale : localeOf(req);
    if (!check.ok) {
      this.o.logger.info({ reason: check.reason, part }, 'editor link refused');
      this.refuse(res, part, locale, REFUSAL_STATUS[check.reason], REFUSAL_KEY[check.reason]);
      return true;
    }
    if (part === 'submit') await this.submit(req, res, check.claims);
    else await this.show(res, part, token, check.claims);
    return true;
  }

  private async show(res: ServerResponse, part: string, token: string, claims: EditorClaims): Promise<void> {
    const opened = await this.o.backend.open(claims);
    if (!opened.ok) return this.refuse(res, part, claims.locale, 403, opened.key, opened.vars);
    if (part === 'page') {
      const page = editorPage(claims.locale, token, {
        prompt: opened.prompt,
        maxPromptLength: this.o.maxPromptLength,
      });
      return send(res, 200, HTML, page);
    }
    const image = await this.images.get(claims.jobId, opened.imageUrl).catch((err: unknown) => {
      this.o.logger.warn({ jobId: claims.jobId, err }, 'editor image unavailable');
      return null;
    });
    if (!image) return send(res, 502, JSON_TYPE, '{}');
    send(res, 200, image.type, image.data, 'private, max-age=900');
  }

  private async submit(req: IncomingMessage, res: ServerResponse, claims: EditorClaims): Promise<void> {
    const locale = claims.locale;
    if (this.sending.has(claims.nonce)) return this.refuse(res, 'submit', locale, 409, 'editor.busy');
    this.sending.add(claims.nonce);
    try {
      let body: Awaited<ReturnType<typeof parseSubmit>>;
      try {
        body = await parseSubmit(req.headers['content-type'], await readBody(req, this.o.maxBodyBytes));
      } catch (caught) {
        const err = caught instanceof BodyTooLarge ? new BodyError(413) : caught;
        if (!(err instanceof BodyError)) throw err;
        const max = `${Math.round(this.o.maxBodyBytes / 1024 / 1024)} MiB`;
        const key = err.status === 413 ? 'editor.tooLarge' : 'editor.badBody';
        res.once('finish', () => res.socket?.destroySoon());
        return this.refuse(res, 'submit', locale, err.status, key, { max });
      }
      const opened = await this.o.backend.open(claims);
      if (!opened.ok) return this.refuse(res, 'submit', locale, 403, opened.key, opened.vars);
      const image = await this.images.get(claims.jobId, opened.imageUrl).catch(() => null);
      const mask = checkMask(body.mask, image);
      if (!mask.ok) {
        this.o.logger.info({ jobId: claims.jobId, reason: mask.key }, 'editor mask refused');
        return this.refuse(res, 'submit', locale, 400, mask.key, mask.vars);
      }
      // Single use: the nonce is spent before the submit, and given back only when the bot refused it first.
      if (!(await this.o.links.consume(claims))) {
        return this.refuse(res, 'submit', locale, 410, 'editor.used');
      }
      const started = await this.o.backend
        .start(claims, { prompt: body.prompt, maskDataUrl: mask.dataUrl })
        .catch((err: unknown) => {
          this.o.logger.error({ jobId: claims.jobId, err }, 'editor submit failed');
          return null;
        });
      if (!started?.ok) {
        if (started) await this.o.links.release(claims);
        const key = started ? started.key : 'editor.failed';
        return this.refuse(res, 'submit', locale, started ? 403 : 500, key, started?.vars);
      }
      this.o.logger.info({ jobId: claims.jobId, userId: claims.userId }, 'editor submit sent');
      send(
        res,
        200,
        JSON_TYPE,
        JSON.stringify({ ok: true, message: t(locale, 'editor.done'), url: started.url }),
      );
    } finally {
      this.sending.delete(claims.nonce);
    }
  }

  private refuse(
    res: ServerResponse,
    part: string,
    locale: string,
    status: number,
    key: MessageKey,
    vars?: Record<string, string | number>,
  ): void {
    if (part === 'page') send(res, status, HTML, refusalPage(locale, key, vars));
    else send(res, status, JSON_TYPE, JSON.stringify({ ok: false, message: t(locale, key, vars) }));
  }
}

/** The browser's language, for a token too broken to carry one. */
function localeOf(req: IncomingMessage): string {
  return /^\s*zh/i.test(String(req.headers['accept-language'] ?? '')) ? 'zh-CN' : 'en';
}
