/** Speed mode, chosen by the path prefix `/mj-<mode>/mj/...`. */
export type Mode = 'fast' | 'relax' | 'turbo';
export const MODES: readonly Mode[] = ['fast', 'relax', 'turbo'];

/** `botType` sent upstream. */
export type BotType = 'MID_JOURNEY' | 'NIJI_JOURNEY';

/** Task status as the implementations report it; `""` is what an aggregator shows right after submit. */
export type TaskStatus =
  | ''
  | 'NOT_START'
  | 'SUBMITTED'
  | 'MODAL'
  | 'IN_PROGRESS'
  | 'SUCCESS'
  | 'FAILURE'
  | 'CANCEL';

/** A button of a finished task, copied from Midjourney's Discord message. */
export interface MjButton {
  customId: string;
  emoji: string;
  label: string;
  style: number;
  type: number;
}

/** The task object returned by `/mj/task/{id}/fetch` and `/mj/task/list-by-condition`, normalised. */
export interface MjTask {
  id: string;
  action: string;
  status: TaskStatus | string;
  prompt: string | null;
  promptEn: string | null;
  description: string | null;
  imageUrl: string | null;
  /** e.g. "45%"; null/"" when unknown. */
  progress: string | null;
  failReason: string | null;
  submitTime: number | null;
  startTime: number | null;
  finishTime: number | null;
  buttons: MjButton[];
  properties: Record<string, unknown>;
  /** Speed mode reported by the upstream ("FAST", "RELAX", "TURBO"), when it says. */
  mode?: string | null;
}

/** What a submit request may carry in common. */
export interface SubmitCommon {
  /** Overrides the client's default speed mode for this request. */
  mode?: Mode;
  notifyHook?: string;
  state?: string;
}

export interface ImagineRequest extends SubmitCommon {
  prompt: string;
  /** data: URLs of image prompts. */
  base64Array?: string[];
  botType?: BotType;
}

export type BlendDimensions = 'PORTRAIT' | 'SQUARE' | 'LANDSCAPE';

export interface BlendRequest extends SubmitCommon {
  base64Array: string[];
  dimensions?: BlendDimensions;
  botType?: BotType;
}

export interface DescribeRequest extends SubmitCommon {
  /** data: URL of the image. */
  base64?: string;
  link?: string;
  botType?: BotType;
}

export interface ShortenRequest extends SubmitCommon {
  prompt: string;
  botType?: BotType;
}

export interface ActionRequest extends SubmitCommon {
  taskId: string;
  customId: string;
  enableRemix?: boolean;
}

export interface ModalRequest extends SubmitCommon {
  taskId: string;
  prompt: string;
  maskBase64?: string;
}

/**
 * The outcome of an accepted submit. Codes 1 and 22 are `accepted`; code 21 is `modal`
 * (the returned task waits in status MODAL for `/mj/submit/modal`). Every other outcome is thrown as `MjError`.
 */
export type SubmitResult =
  | { kind: 'accepted'; taskId: string; code: number; description: string; queuePosition: number | null }
  | { kind: 'modal'; taskId: string; code: number; description: string; finalPrompt: string };
