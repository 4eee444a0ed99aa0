/** A submit body that could not be taken: too large (413) or unreadable (400). */
export class BodyError extends Error {
  constructor(readonly status: 413 | 400) {
    super(`body refused with ${status}`);
  }
}

/** What the page sends: the prompt and the mask (PNG bytes). */
export interface SubmitBody {
  prompt: string;
  mask: Buffer;
}

const DATA_URL = /^data:image\/png;base64,([A-Za-z0-9+/=\s]+)$/;

/**
 * The submit as JSON (`{ prompt, mask: "data:image/png;base64,…" }`) or multipart form data (`prompt` and a `mask`
 * file, or the mask as a data URL field). Anything else is a 400.
 */
export async function parseSubmit(type: string | undefined, raw: Buffer): Promise<SubmitBody> {
  const mime = (type ?? '').split(';')[0]?.trim().toLowerCase();
  if (mime === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new BodyError(400);
    }
    const { prompt, mask } = (body ?? {}) as { prompt?: unknown; mask?: unknown };
    if (typeof prompt !== 'string' || typeof mask !== 'string') throw new BodyError(400);
    return { prompt, mask: fromDataUrl(mask) };
  }
  if (mime === 'multipart/form-data') {
    let form: FormData;
    try {
      const bytes = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
      form = await new Response(bytes, { headers: { 'content-type': type ?? '' } }).formData();
    } catch {
      throw new BodyError(400);
    }
    const prompt = form.get('prompt');
    const mask = form.get('mask');
    if (typeof prompt !== 'string' || mask === null) throw new BodyError(400);
    const bytes = typeof mask === 'string' ? fromDataUrl(mask) : Buffer.from(await mask.arrayBuffer());
    return { prompt, mask: bytes };
  }
  throw new BodyError(400);
}

function fromDataUrl(text: string): Buffer {
  const m = DATA_URL.exec(text.trim());
  if (!m?.[1]) throw new BodyError(400);
  return Buffer.from(m[1], 'base64');
}
