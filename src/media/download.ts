import { request } from 'undici';

export interface Download {
  data: Buffer;
  contentType: string | null;
}

export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    readonly reason: 'too_large' | 'http' | 'network' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Fetches a URL into memory, refusing bodies over `maxBytes` (by header first, then while reading) and
 * giving up after `timeoutMs`.
 */
export async function download(
  url: string,
  opts: { maxBytes: number; timeoutMs: number },
): Promise<Download> {
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, { method: 'GET', signal: AbortSignal.timeout(opts.timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    throw new DownloadError(
      timedOut ? 'timeout' : 'network',
      timedOut ? 'download timed out' : 'download failed',
    );
  }
  if (res.statusCode >= 400) {
    await res.body.dump();
    throw new DownloadError('http', `download answered HTTP ${res.statusCode}`);
  }
  const declared = Number(res.headers['content-length'] ?? Number.NaN);
  if (declared > opts.maxBytes) {
    await res.body.dump();
    throw new DownloadError('too_large', `file is ${declared} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > opts.maxBytes) {
        res.body.destroy();
        throw new DownloadError('too_large', `file is over ${opts.maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    throw new DownloadError('timeout', 'download interrupted');
  }
  const type = res.headers['content-type'];
  return { data: Buffer.concat(chunks), contentType: typeof type === 'string' ? type : null };
}

const SIGNATURES: Array<[string, (b: Buffer) => boolean]> = [
  ['image/png', (b) => b.length > 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a],
  ['image/jpeg', (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  [
    'image/gif',
    (b) =>
      b.length > 6 &&
      (b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a'),
  ],
  [
    'image/webp',
    (b) =>
      b.length > 12 &&
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP',
  ],
];

/** The image type by its bytes (never by its name or declared type), or null when it is not an image we take. */
export function sniffImage(data: Buffer): string | null {
  return SIGNATURES.find(([, test]) => test(data))?.[0] ?? null;
}
