import { type MessageKey, resolveLocale, t } from '../../i18n/index.js';

/** The strings the page's script shows, in the link's language (keys of the catalogues, without `editor.`). */
const UI_KEYS = [
  'title',
  'hint',
  'rect',
  'lasso',
  'brush',
  'eraser',
  'size',
  'undo',
  'redo',
  'clear',
  'prompt',
  'submit',
  'sending',
  'empty',
  'done',
  'jump',
  'failed',
  'imageFailed',
] as const;

/** What the page's script reads from its JSON data block. */
export interface EditorPageData {
  prompt: string;
  maxPromptLength: number;
  strings: Record<(typeof UI_KEYS)[number], string>;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** JSON that cannot end its `<script>` block early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function shell(locale: string, title: string, body: string): string {
  const lang = resolveLocale(locale);
  // Relative URLs: the page lives at <base>/editor/<token>, so a PUBLIC_URL with a path prefix works too.
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="assets/editor.css">
</head>
<body>
${body}
</body>
</html>
`;
}

/** The editor: the page's script builds the tools around the image from the data block. */
export function editorPage(
  locale: string,
  token: string,
  o: { prompt: string; maxPromptLength: number },
): string {
  const strings = Object.fromEntries(UI_KEYS.map((k) => [k, t(locale, `editor.${k}` as MessageKey)]));
  const data = { prompt: o.prompt, maxPromptLength: o.maxPromptLength, strings } as EditorPageData;
  const body = `<main id="app" data-token="${escapeHtml(token)}">
<noscript>${escapeHtml(t(locale, 'editor.hint'))}</noscript>
</main>
<script type="application/json" id="editor-data">${scriptJson(data)}</script>
<script src="assets/editor.js" defer></script>`;
  return shell(locale, t(locale, 'editor.title'), body);
}

/** A link that cannot be used (used, expired, forged, someone else's, job gone): what happened and what to do. */
export function refusalPage(locale: string, key: MessageKey, vars?: Record<string, string | number>): string {
  const title = t(locale, 'editor.refusedTitle');
  const body = `<main class="notice">
<h1>${escapeHtml(title)}</h1>
<p id="reason">${escapeHtml(t(locale, key, vars))}</p>
</main>`;
  return shell(locale, title, body);
}
