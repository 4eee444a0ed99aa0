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
    'The request was sent, but no clear answer came back: Midjourney may still be making this job (and count it). Press **Retry** only if you want to send it again.',
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

  // reliability: retry, check, Discord faults
  'failure.moderated': "Midjourney's moderation stopped this prompt. Rephrase it and try again.",
  'failure.upstreamTimeout': 'Midjourney gave up on this job because it took too long. Try again.',
  'failure.parent_vanished':
    'Midjourney no longer has the image this button belongs to (it may have expired), so the button cannot be used any more.',
  'failure.checkHint': 'Press **Check** to see whether Midjourney still has it.',
  'button.check': 'Check',
  'retry.notRetryable': 'This job cannot be retried.',
  'retry.unsupported': 'This job cannot be repeated from here; please run the command again.',
  'retry.imagesExpired':
    'The images of this job are no longer available; please run the command again with them.',
  'check.notFound': 'Midjourney has no record of this job. Press **Retry** to send it again.',
  'check.found': 'Midjourney still has this job; its message now shows where it stands.',
  'check.unreachable': 'Midjourney could not be reached to check the job. Try again in a moment.',
  'check.noTask': 'There is no Midjourney job id to check; press **Retry** to send it again.',
  'notice.noAccess':
    'I can no longer update the message of your job **{prompt}** in <#{channel}>: I am missing permissions there. I will send you the result here when it is done. (A server admin can give me the View Channel, Send Messages, Embed Links and Attach Files permissions in that channel.)',
  'notice.resultMoved': 'The result of your job, which I could not post in <#{channel}>:',
  'error.shuttingDown': 'The bot is restarting; please try again in a moment.',

  // server owners' controls and user comfort: access, limits, queue, /settings, /info, /help, job controls, DMs
  'status.localQueue': 'Waiting in position #{position}',
  'failure.cancelled':
    'Cancelled. The bot stopped tracking this job; if Midjourney had already received it, it may still run there.',
  'failure.not_sent':
    'This job was waiting in the queue when the bot restarted and could not be sent. Please run the command again.',

  'access.guildNotAllowed': 'This bot is not enabled in this server.',
  'access.dmsOff': 'The bot does not take requests in DMs. Please use it in a server.',
  'access.blocked': 'A server manager has blocked you from using the bot here.',
  'access.channel': 'The bot cannot be used in this channel. Try {channels}.',
  'access.role': 'You need one of these roles to use the bot here: {roles}.',
  'access.notManager': 'Only people with the Manage Server permission can change these settings.',
  'access.guildOnly': 'This command works only in a server.',
  'controls.notYours': 'Only {owner} (or a server manager) can do this.',

  'limits.quota': 'Your daily quota of jobs ({quota}) is used up. It renews {renew}.',
  'limits.queueFull': 'The queue is full ({max} jobs waiting). Please try again in a few minutes.',
  'limits.userQueueFull':
    'Too many of your jobs are waiting (at most {max}). Wait for one to start, or cancel one with ❌, then try again.',

  'cancel.tooLate': 'This job can no longer be cancelled: Midjourney has started it.',
  'delete.notFinished': 'Only a finished job can be deleted.',
  'dm.notFinished': 'This job has no result to send yet.',
  'dm.sent': 'Sent to your DMs.',
  'dm.closed':
    'I cannot send you DMs. Allow direct messages from this server (Privacy Settings) and try again.',
  'dm.failed': 'The result could not be sent to your DMs. Please try again later.',
  'dm.prompt': '**Prompt:** {prompt}',
  'dm.jobId': '**Job ID:** `{id}`',
  'dm.seed': '**Seed:** `{seed}`',
  'dm.link': '[Original message]({url})',
  'dm.privateResult': 'The result of your private job (its message could no longer be updated):',
  'dm.hint': 'Send me a prompt (and images if you like) to imagine it, or use /help.',

  'settings.line': '{label}: {value}',
  'settings.title': 'Your settings',
  'settings.intro': 'They apply to your new jobs; options you give a command win over them.',
  'settings.mode': 'Mode',
  'settings.bot': 'Bot',
  'settings.remix': 'Remix mode',
  'settings.suffix': 'Suffix',
  'settings.private': 'Private results',
  'settings.autoDm': 'Auto DM',
  'settings.language': 'Language in DMs',
  'settings.on': 'on',
  'settings.off': 'off',
  'settings.none': 'none',
  'settings.default': 'Default ({value})',
  'settings.modeOption': '{mode} mode',
  'settings.languageAuto': 'As in Discord',
  'settings.suffixButton': 'Set suffix',
  'settings.suffixTitle': 'Parameters added to every prompt',
  'settings.suffixLabel': 'Suffix (e.g. --ar 3:2 --v 6.1); empty to clear',
  'settings.suffixInvalid': 'A suffix holds only parameters starting with --, e.g. --ar 3:2 --s 250.',
  'settings.reset': 'Reset',
  'settings.privateNote':
    'Private results are shown only to you; after 15 minutes Discord no longer lets the bot update them, so a job finishing later is sent to your DMs.',
  'bot.mj': 'Midjourney',
  'bot.niji': 'Niji',

  'info.title': 'Your info',
  'info.mode': '**Mode:** {mode} · **Bot:** {bot}',
  'info.usage': '**Jobs today:** {used} of {quota} ({left} left), renews {renew}',
  'info.usageUnlimited': '**Jobs today:** {used} (no daily limit)',
  'info.usageExempt': '**Jobs today:** {used} (server managers have no daily limit)',
  'info.running': '**Running ({count})**',
  'info.queued': '**Waiting ({count})**',
  'info.none': 'No jobs running or waiting.',
  'info.jobRunning': '{prompt} — {status}',
  'info.jobQueued': '{prompt} — position #{position}',

  'help.title': 'Midjourney bot — help',
  'help.commands': 'Commands',
  'help.dm':
    'In a DM with the bot, a plain message is taken as an /imagine prompt; attach images to use them as image prompts.',
  'help.buttons':
    'Under a job: ❌ cancels it while it waits, 🗑️ deletes a finished result, ✉️ sends it to your DMs with its seed.',
  'help.paramsTitle': 'Prompt parameters',
  'help.params':
    '`--ar 16:9` aspect ratio · `--v 6.1` model version · `--niji 6` anime model · `--s 250` stylize (0–1000) · `--c 20` chaos (0–100) · `--q 1` quality · `--w 100` weird · `--no text` leave things out · `--seed 123` repeatable noise · `--tile` seamless pattern · `--iw 1.5` image prompt weight · `--sref <url>` style reference · `--cref <url>` character reference · `--style raw` less stylised · `--r 4` repeat · `--fast` / `--relax` / `--turbo` speed',

  'admin.saved': 'Saved. {summary}',
  'admin.summary':
    '**Allowed channels:** {channels}\n**Allowed roles:** {roles}\n**Blocked users:** {users}\n**Buttons:** {policy}',
  'admin.everywhere': 'all',
  'admin.nobody': 'none',
  'admin.policy.requester': 'requester only (and server managers)',
  'admin.policy.anyone': 'anyone',
  'admin.policy.default': 'bot default: {policy}',

  // commands and pop-ups: blend, describe, shorten, Custom Zoom, Vary (Region), remix, seed
  'blend.title': 'Blend',
  'blend.tooFew': 'Give at least two images to blend.',
  'describe.oneSource': 'Give either an image or a URL: exactly one of the two.',
  'describe.badUrl': 'The URL must start with http:// or https://.',
  'describe.urlBlocked': 'That address cannot be fetched: it points to a private or local network.',
  'describe.urlNotImage': 'That address does not lead to an image (PNG, JPEG, WebP or GIF).',
  'describe.urlTooLarge': 'The image at that address is too large (at most {max}).',
  'describe.urlUnreachable': 'Could not fetch the image at that address. Check the link and try again.',
  'describe.urlTimeout': 'The address took too long to answer. Try again, or attach the image instead.',
  'describe.imageGone': 'The image of this job is no longer available; run /describe again with it.',
  'pick.gone': 'This prompt is no longer available.',
  'zoom.label': 'Prompt (--zoom from 1.0 to 2.0)',
  'zoom.missing': 'Add --zoom with a value from 1.0 to 2.0 to the prompt, e.g. --zoom 1.5.',
  'zoom.range': 'The zoom must be from 1.0 to 2.0 (you gave {value}).',
  'region.promptLabel': 'Prompt for the selected area',
  'region.maskLabel': 'Mask (PNG)',
  'region.maskHint': "A PNG with the image's aspect ratio: white = area to regenerate, black = keep.",
  'region.maskMissing': 'Upload one mask image (PNG).',
  'region.maskNotPng': 'The mask must be a PNG image.',
  'region.maskTooLarge': 'The mask is too large (at most {max}).',
  'region.maskUnreadable': 'Could not read the mask. Upload it again.',
  'region.maskAspect':
    'The mask is {mask} but the image is {image}: give the mask the same aspect ratio as the image.',
  'seed.value':
    '🌱 Seed of this job: **{seed}**. Add `--seed {seed}` to a prompt to start from the same noise.',
  'seed.unsupported': 'This Midjourney service does not tell seeds.',
  'seed.notReady': 'Midjourney has no seed for this job (yet).',
  'seed.notFound': 'Midjourney no longer knows this job, so its seed cannot be read.',
  'seed.unreachable': 'Midjourney could not be reached to read the seed. Try again in a moment.',
  'failure.unsupportedAction': 'Midjourney does not offer this button through this service.',
} as const;

/** A message key: every key of the English catalogue. */
export type MessageKey = keyof typeof en;
