import type { BlendDimensions, BotType, MjButton, Mode } from '../upstream/types.js';

/** What started a job. `action` = a button of a parent job; `modal` = a modal submit (remix, zoom, region, prompt pick). */
export type JobKind = 'imagine' | 'blend' | 'describe' | 'shorten' | 'action' | 'modal';

/**
 * The life of a job, as the bot sees it:
 * - `queued`: waits in the bot's own queue (a user or server limit is reached); nothing was sent upstream;
 * - `submitting`: acknowledged on Discord, the submit request is under way;
 * - `tracking`: the upstream accepted it; the tracker polls it;
 * - `modal`: the upstream waits for `/mj/submit/modal` (remix); not polled;
 * - `succeeded` / `failed`: final; `failed` carries a reason.
 */
export type JobPhase = 'queued' | 'submitting' | 'tracking' | 'modal' | 'succeeded' | 'failed';

export const FINAL_PHASES: ReadonlySet<JobPhase> = new Set(['succeeded', 'failed']);

/** Why a job failed, for the renderer to explain in the user's language. */
export type FailureKind =
  | 'upstream_failure' // the task ended in FAILURE; detail = failReason
  | 'rejected' // the submit was refused; detail = upstream description
  | 'banned' // code 24; detail = banned word
  | 'queue_full' // code 23
  | 'unknown_outcome' // a submit whose outcome we could not read; not retried
  | 'deadline' // the task made no progress before its deadline
  | 'vanished' // the upstream no longer knows the task
  | 'auth' // the upstream refused our key (operator problem)
  | 'unavailable' // the upstream could not be reached
  | 'cancelled' // the requester cancelled it before the upstream started it; the bot stopped tracking it
  | 'not_sent' // it waited in the local queue and could not be sent after a restart (its inputs were lost)
  | 'parent_vanished'; // a button's task is no longer known upstream (code 3, task_not_found): the button is dead

export interface JobFailure {
  kind: FailureKind;
  /** Upstream text (never a secret), shown to the user as given. */
  detail?: string;
}

/** The last known upstream state of the task, as much as rendering and actions need. */
export interface TaskSnapshot {
  status: string;
  /** 0..100, or null when the upstream gave none. */
  progress: number | null;
  imageUrl: string | null;
  buttons: MjButton[];
  failReason: string | null;
  /** properties.finalPrompt (describe/shorten results live here too). */
  finalPrompt: string | null;
  promptEn: string | null;
  description: string | null;
  action: string | null;
  /** Upstream-reported mode, lower case, when known. */
  mode: Mode | null;
  finishTime: number | null;
  /** Position in the upstream's queue when the submit said so (code 22). */
  queuePosition?: number | null;
}

/** Where the job's message lives, and how to edit it. */
export interface MessageRef {
  guildId: string | null;
  channelId: string;
  /** Known once the first response is sent. */
  messageId: string | null;
  /** Interaction webhook used while valid (15 min). */
  interaction: { applicationId: string; token: string; expiresAt: number } | null;
  /** Set when Discord said the message is gone (10008/10003): stop editing it. */
  gone?: boolean;
  /**
   * Set when the bot lost access to the channel (50001/50013): progress is no longer shown there, the requester
   * was told, and the final result goes to their DMs.
   */
  noAccess?: boolean;
  /** True once the job's final state reached Discord; a final job without it is shown again after a restart. */
  finalShown?: boolean;
  /** An ephemeral reply (private results): editable only through the interaction token, 15 minutes. */
  ephemeral?: boolean;
  /** A follow-up message of the interaction (not its original reply): edited by its id through the token. */
  followUp?: boolean;
}

/** A tracked Midjourney job: everything a click, a restart or a render needs. */
export interface Job {
  /** See {@link JOB_SCHEMA_VERSION}. */
  schemaVersion: typeof JOB_SCHEMA_VERSION;
  /** Local id, short (used in custom_ids). */
  id: string;
  kind: JobKind;
  /** Upstream task id once accepted. */
  taskId: string | null;
  phase: JobPhase;
  /** The prompt the user typed (or the parent's prompt for actions). */
  prompt: string;
  ownerId: string;
  locale: string;
  mode: Mode;
  botType: BotType | null;
  message: MessageRef;
  /** For actions and modals: the parent job and the button that was pressed. */
  parentJobId: string | null;
  /** The label of the pressed button ("U2", "Vary (Strong)"), for the render. */
  actionLabel: string | null;
  /** Jump link to the parent job's message, shown on child jobs. */
  parentMessageUrl: string | null;
  task: TaskSnapshot | null;
  failure: JobFailure | null;
  /** Number of image prompts sent (imagine) or images blended. */
  imageCount: number;
  createdAt: number;
  updatedAt: number;
  /** A job still not final at this time ends with `deadline`. */
  deadlineAt: number;
  /** Time of the last observed change upstream (status or progress). */
  lastProgressAt: number;
  /** The job's one submit as it was asked for: enough to send it again (Retry, a queued job after a restart). */
  request: JobRequest | null;
  /** The failed job this one repeats (Retry). */
  retryOf?: string | null;
  /**
   * While `queued`: 1 + the queued jobs that must go before it (same requester or same server). Null once released
   * from the line; absent on a job that never waited.
   */
  waitingPosition?: number | null;
}

/** The format of job records this version writes; a record without `schemaVersion` is version 1 (see migrate.ts). */
export const JOB_SCHEMA_VERSION = 2;

/**
 * What a job asked the upstream for, one variant per submit: the one place that sends it is `jobs/submit.ts`.
 * Images are kept as the addresses they were read from (Discord attachment URLs last about a day) and read again
 * when the request is sent again; the record never holds image data.
 */
export type JobRequest =
  /** `/mj/submit/imagine`: the prompt and its image prompts. */
  | { kind: 'imagine'; mode: Mode; botType: BotType | null; prompt: string; imageUrls: string[] }
  /** `/mj/submit/blend`: 2–5 images and the chosen dimensions. */
  | { kind: 'blend'; mode: Mode; botType: BotType | null; imageUrls: string[]; dimensions: BlendDimensions }
  /** `/mj/submit/describe`: one image. */
  | { kind: 'describe'; mode: Mode; botType: BotType | null; source: DescribeSource }
  /** `/mj/submit/shorten`: a prompt to analyse. */
  | { kind: 'shorten'; mode: Mode; botType: BotType | null; prompt: string }
  /** `/mj/submit/action`: a button of a finished task. */
  | { kind: 'action'; mode: Mode; taskId: string; customId: string }
  /**
   * A button whose pop-up the user filled in (Custom Zoom, Vary (Region), a remix press): `/mj/submit/action`,
   * then `/mj/submit/modal` with the prompt (and mask) when the upstream asks for it; `confirmLater` keeps the
   * prompt for when the task turns MODAL (aggregators report remix pop-ups as accepted).
   */
  | {
      kind: 'modal';
      mode: Mode;
      taskId: string;
      customId: string;
      prompt: string;
      enableRemix: boolean;
      /** Vary (Region): the uploaded mask, a PNG. */
      maskUrl: string | null;
      confirmLater: boolean;
    };

/**
 * The image a describe job describes: a Discord attachment (downloaded), or an address the user typed (fetched
 * again through the private-address checks).
 */
export type DescribeSource = { imageUrl: string } | { link: string };
