/** Parameter names that mean the same thing, so a suffix never repeats what the prompt already says. */
const ALIASES: Readonly<Record<string, string>> = {
  aspect: 'ar',
  version: 'v',
  stylize: 's',
  chaos: 'c',
  quality: 'q',
  weird: 'w',
  repeat: 'r',
};

const canonical = (name: string): string => {
  const lower = name.toLowerCase();
  return ALIASES[lower] ?? lower;
};

/** The `--name` parameters of a prompt, canonical names (`--aspect` → `ar`). */
function paramNames(prompt: string): Set<string> {
  return new Set([...prompt.matchAll(/(?:^|\s)--([A-Za-z][\w-]*)/g)].map((m) => canonical(m[1] ?? '')));
}

/** True for a suffix made only of `--parameters` (with their values), or empty. */
export function isValidSuffix(suffix: string): boolean {
  const s = suffix.trim();
  return s === '' || /^--[A-Za-z]/.test(s);
}

/**
 * Appends the user's suffix (`/prefer suffix`) to a prompt, leaving out every parameter the prompt already
 * sets itself: what the user typed wins over their stored preference.
 */
export function withSuffix(prompt: string, suffix: string): string {
  const s = suffix.trim();
  if (!s) return prompt;
  const given = paramNames(prompt);
  const kept = s
    .split(/\s+(?=--[A-Za-z])/)
    .filter((part) => {
      const name = /^--([A-Za-z][\w-]*)/.exec(part)?.[1];
      return name !== undefined && !given.has(canonical(name));
    })
    .join(' ');
  return kept ? `${prompt.trimEnd()} ${kept}` : prompt;
}
