/**
 * English messages: the source of every key. `{name}` marks a variable filled in by `t()`.
 * Prompts and upstream text are never translated; everything the bot adds around them is.
 */
export const en = {
  'status.waiting': 'Waiting to start',
  'status.queued': 'Waiting to start, #{position} in queue',
  'status.progress': '{percent}%',
  'status.paused': 'Waiting for your edit',
  'status.finished': 'Finished',
  'status.failed': 'Failed',
  'mode.fast': 'fast',
  'mode.relax': 'relaxed',
  'mode.turbo': 'turbo',

  'child.image': 'Image #{n} {user}',
  'child.variationsStrong': 'Variations (Strong) by {user}',
  'child.variationsSubtle': 'Variations (Subtle) by {user}',
  'child.variationsRegion': 'Variations (Region) by {user}',
  'child.upscaledSubtle': 'Upscaled (Subtle) by {user}',
  'child.upscaledCreative': 'Upscaled (Creative) by {user}',
  'child.upscaled2x': 'Upscaled (2x) by {user}',
  'child.upscaled4x': 'Upscaled (4x) by {user}',
  'child.zoomOut': 'Zoom Out by {user}',
  'child.makeSquare': 'Make Square by {user}',
  'child.panLeft': 'Pan Left by {user}',
  'child.panRight': 'Pan Right by {user}',
  'child.panUp': 'Pan Up by {user}',
  'child.panDown': 'Pan Down by {user}',
  'child.animate': 'Animation by {user}',
  'child.action': '{action} by {user}',
  'child.parentLink': '↩️ [Original message]({url})',

  'paused.hint': 'Midjourney is waiting for your edited prompt. Press **Edit prompt** to continue.',

  'failure.title': 'Could not complete the job',
  'failure.upstream_failure': 'Midjourney could not complete the job.',
  'failure.rejected': 'Midjourney refused the request.',
  'failure.banned': 'The prompt contains a banned word: **{word}**. Rephrase it and try again.',
  'failure.banned_generic': 'The prompt contains a banned word. Rephrase it and try again.',
  'failure.queue_full': 'The Midjourney queue is full. Try again in a few minutes.',
  'failure.unknown_outcome':
    'We could not tell whether Midjourney accepted the job — check /info before retrying.',
  'failure.deadline': 'The job made no progress for too long, so the bot stopped waiting for it.',
  'failure.vanished': 'Midjourney no longer knows this job; it may have expired.',
  'failure.auth': "The bot's Midjourney key was refused. Please tell the server owner.",
  'failure.unavailable': 'Midjourney could not be reached. Try again in a moment.',

  'describe.title': 'Describe',
  'describe.hint': 'Pick a prompt to imagine it, or imagine all of them.',
  'describe.empty': 'Midjourney returned no prompts for this image.',
  'shorten.title': 'Shorten',
  'shorten.tokens': 'Important tokens',
  'shorten.prompts': 'Shortened prompts',
  'shorten.empty': 'Midjourney returned no shortened prompts.',

  'embed.footer': 'Job {id}',

  'button.imagineAll': 'Imagine all',
  'button.retry': 'Retry',
  'button.seed': 'Seed',
  'button.editPrompt': 'Edit prompt',
  'button.cancel': 'Cancel',
  'button.delete': 'Delete',
  'button.dm': 'Send to DM',

  'button.notYours': 'Only {owner} (or a server manager) can use the buttons of this job.',
  'button.unknownJob': 'This job is no longer available.',
  'button.alreadyRunning': 'That is already being handled — one moment.',
  'button.notWaiting': 'This job is no longer waiting for an edit.',
  'button.unsupported': 'The “{label}” button is not supported by this bot.',
  'button.invalid': 'This button or form is no longer valid.',

  'modal.remixTitle': 'Remix',
  'modal.zoomTitle': 'Custom Zoom',
  'modal.regionTitle': 'Vary (Region)',
  'modal.pickTitle': 'Imagine this prompt',
  'modal.promptLabel': 'Prompt',

  'input.promptEmpty': 'Please enter a prompt.',
  'input.promptTooLong': 'The prompt is too long: {length} characters, at most {max}.',
  'input.imageTooLarge': '{name} is too large (at most {max}).',
  'input.imageUnreadable': 'Could not read {name}.',
  'input.notImage': '{name} is not a supported image (PNG, JPEG, WebP or GIF).',

  'error.internal': 'Something went wrong on our side. Please try again later.',
  'error.unknownCommand': 'This command is not known to the bot.',
  'error.modalRefused': 'Midjourney refused this prompt: {reason}. Edit it and try again.',
} as const;

/** A message key: every key of the English catalogue. */
export type MessageKey = keyof typeof en;
