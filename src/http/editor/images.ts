import { download, sniffImage } from '../../media/download.js';
import { imageSize } from '../../media/imageSize.js';

export interface EditorImage {
  data: Buffer;
  type: string;
  width: number;
  height: number;
}

/** Images kept in memory: a page loads its image once and the submit checks the mask against it. */
const KEEP = 8;
const TIMEOUT_MS = 20_000;

/**
 * The jobs' images as the editor serves them: fetched by the bot from the upstream (the page never sees the
 * upstream's link), size-limited, judged by their bytes, a few kept in memory.
 */
export class EditorImages {
  private readonly cache = new Map<string, Promise<EditorImage>>();

  constructor(private readonly maxBytes: number) {}

  get(jobId: string, url: string): Promise<EditorImage> {
    const key = `${jobId} ${url}`;
    const known = this.cache.get(key);
    if (known) return known;
    const loading = this.fetch(url);
    this.cache.set(key, loading);
    loading.catch(() => this.cache.delete(key));
    while (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value as string);
    return loading;
  }

  private async fetch(url: string): Promise<EditorImage> {
    const { data } = await download(url, { maxBytes: this.maxBytes, timeoutMs: TIMEOUT_MS });
    const type = sniffImage(data);
    const size = imageSize(data);
    if (!type || !size) throw new Error('not an image');
    return { data, type, width: size.width, height: size.height };
  }
}
