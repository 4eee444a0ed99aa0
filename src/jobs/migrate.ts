import type { BlendDimensions } from '../upstream/types.js';
import { JOB_SCHEMA_VERSION, type Job, type JobRequest } from './types.js';

/**
 * A job record as version 1 wrote it (no `schemaVersion`): the submit's inputs that were not in the record
 * already sat in an optional `repeat`, and only where a Retry could use them.
 */
export type JobV1 = Omit<Job, 'schemaVersion' | 'request'> & {
  repeat?: {
    imageUrls?: string[];
    action?: { taskId: string; customId: string };
    dimensions?: BlendDimensions;
    link?: string;
  };
};

/**
 * Brings a stored job record to this version's format, whatever version wrote it; records of this version (or
 * a later one) are returned as they are. Called on every read, so old records need no migration step at start
 * and are written back in the new format the next time their job changes.
 */
export function migrateJob(raw: unknown): Job {
  const record = raw as Partial<Job> & { schemaVersion?: number };
  if (typeof record.schemaVersion === 'number' && record.schemaVersion >= JOB_SCHEMA_VERSION) {
    return record as Job;
  }
  const v1 = raw as JobV1;
  const { repeat: _repeat, ...kept } = v1;
  return { ...kept, schemaVersion: JOB_SCHEMA_VERSION, request: requestOfV1(v1) };
}

/**
 * The request a version-1 record stands for, read the way version 1's Retry read it. Null where version 1 could
 * not send it again either: image prompts it did not keep, a button press without its button, and pop-ups
 * (their mask, and how their prompt was to be sent, were not kept).
 */
function requestOfV1(job: JobV1): JobRequest | null {
  const { mode, repeat = {} } = job;
  const botType = job.botType ?? null;
  const imageUrls = repeat.imageUrls ?? [];
  switch (job.kind) {
    case 'imagine':
      return imageUrls.length === job.imageCount
        ? { kind: 'imagine', mode, botType, prompt: job.prompt, imageUrls }
        : null;
    case 'blend':
      return imageUrls.length >= 2
        ? { kind: 'blend', mode, botType, imageUrls, dimensions: repeat.dimensions ?? 'SQUARE' }
        : null;
    case 'describe': {
      const [imageUrl] = imageUrls;
      if (repeat.link) return { kind: 'describe', mode, botType, source: { link: repeat.link } };
      return imageUrl ? { kind: 'describe', mode, botType, source: { imageUrl } } : null;
    }
    case 'shorten':
      return { kind: 'shorten', mode, botType, prompt: job.prompt };
    case 'action':
      return repeat.action
        ? { kind: 'action', mode, taskId: repeat.action.taskId, customId: repeat.action.customId }
        : null;
    default:
      return null;
  }
}
