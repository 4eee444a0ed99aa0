/** A keycap number (1️⃣…9️⃣, with or without U+FE0F) or 🔟, as Midjourney numbers its prompts. */
const KEYCAP = /(?:[0-9]\uFE0F?\u20E3|\u{1F51F})/u;
const KEYCAP_GLOBAL = new RegExp(KEYCAP.source, 'gu');
const SHORTENED_HEADER = /^[ \t]*#{1,6}[ \t]*shortened prompts?[ \t]*:?[ \t]*$/im;
const TOKENS_HEADER = /^[ \t]*#{1,6}[ \t]*important tokens?[ \t]*:?[ \t]*$/im;

const normalise = (text: string): string => text.replace(/\r\n?/g, '\n');
const tidy = (s: string): string => s.replace(/[ \t]+/g, ' ').trim();

/**
 * The prompts of a describe result: `"1️⃣ a --ar 5:4\n\n2️⃣ b …"` (keycaps stripped), or, without keycaps,
 * blocks separated by blank lines (or by single line breaks, as TA's `"\r\n"`-joined form). Empty input → [].
 */
export function parseDescribePrompts(text: string): string[] {
  const body = normalise(text ?? '');
  if (KEYCAP.test(body)) {
    // Text before the first keycap is a header, not a prompt.
    return body
      .split(KEYCAP_GLOBAL)
      .slice(1)
      .map((p) => tidy(p.replace(/\n+/g, ' ')))
      .filter((p) => p !== '');
  }
  const blocks = body
    .split(/\n[ \t]*\n/)
    .map(tidy)
    .filter((p) => p !== '');
  const parts = blocks.length > 1 ? blocks : body.split('\n');
  return parts.map((p) => tidy(p.replace(/\n+/g, ' '))).filter((p) => p !== '');
}

/** A shorten result: the token analysis (Discord markdown: **kept**, ~~removable~~) and the shortened prompts. */
export interface ShortenResult {
  tokens: string;
  prompts: string[];
}

/**
 * Parses `/shorten`'s analysis: `"## Important tokens\n**a** ~~b~~ …\n## Shortened prompts\n1️⃣ …\n\n2️⃣ …"`.
 * Without headers, the text before the first keycap is the analysis.
 */
export function parseShorten(text: string): ShortenResult {
  const body = normalise(text ?? '');
  const header = SHORTENED_HEADER.exec(body);
  let analysis: string;
  let prompts: string[];
  if (header) {
    analysis = body.slice(0, header.index);
    prompts = parseDescribePrompts(body.slice(header.index + header[0].length));
  } else {
    const first = KEYCAP.exec(body);
    analysis = first ? body.slice(0, first.index) : body;
    prompts = first ? parseDescribePrompts(body.slice(first.index)) : [];
  }
  const tokens = analysis
    .replace(TOKENS_HEADER, '')
    .split('\n')
    .map(tidy)
    .filter((l) => l !== '')
    .join('\n');
  return { tokens, prompts };
}

/** What {@link resultPrompts} reads of a job. */
export interface ResultSource {
  kind: string;
  task: {
    action: string | null;
    finalPrompt: string | null;
    promptEn: string | null;
    description: string | null;
  } | null;
}

/**
 * The prompts a finished describe or shorten job offers, in the order its numbered buttons show them (a shorten
 * result may sit in `finalPrompt` or, on TA, in `description`).
 */
export function resultPrompts(job: ResultSource): string[] {
  const task = job.task;
  if (!task) return [];
  if (job.kind === 'shorten' || task.action?.toUpperCase() === 'SHORTEN') {
    const parsed = [task.finalPrompt, task.description].filter((s): s is string => !!s).map(parseShorten);
    return (parsed.find((r) => r.prompts.length > 0) ?? parsed[0])?.prompts ?? [];
  }
  return parseDescribePrompts(task.finalPrompt || task.promptEn || '');
}
