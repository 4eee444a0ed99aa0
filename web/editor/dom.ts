/** An element with attributes and children: the whole page is built from these. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

/** The page's data block, written by the bot (strings in the presser's language, the prompt). */
export interface PageData {
  prompt: string;
  maxPromptLength: number;
  strings: Record<
    | 'title'
    | 'hint'
    | 'rect'
    | 'lasso'
    | 'brush'
    | 'eraser'
    | 'size'
    | 'undo'
    | 'redo'
    | 'clear'
    | 'prompt'
    | 'submit'
    | 'sending'
    | 'empty'
    | 'done'
    | 'jump'
    | 'failed'
    | 'imageFailed',
    string
  >;
}

export function readData(): PageData {
  const text = document.getElementById('editor-data')?.textContent ?? '{}';
  return JSON.parse(text) as PageData;
}
