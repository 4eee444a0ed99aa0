import type { IncomingMessage } from 'node:http';

/** A request body over the size limit (announced or actual): answered 413 by whoever reads it. */
export class BodyTooLarge extends Error {
  constructor() {
    super('request body over the size limit');
  }
}

/**
 * Reads the body up to `max` bytes; a larger one (announced or actual) is refused with {@link BodyTooLarge}.
 * Reading stops at the limit (the caller closes the connection after its answer), so an endless body costs at
 * most `max` bytes.
 */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > max) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.pause();
      reject(new BodyTooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
