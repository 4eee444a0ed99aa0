/** The "+" of the message box: files (images) to send with the next plain message, shown as chips until sent. */
import { h, readUpload } from './dom.js';
import { tr } from './i18n.js';

let files: File[] = [];

/** The upload button and the chips of the files chosen so far; `changed` redraws the box. */
export function attachButton(changed: () => void): HTMLElement {
  const input = h('input', {
    id: 'message-files',
    type: 'file',
    multiple: true,
    accept: 'image/*',
    hidden: true,
  });
  input.addEventListener('change', () => {
    files = [...files, ...(input.files ? [...input.files] : [])];
    changed();
  });
  return h(
    'label',
    { class: 'attach', title: tr('attach') },
    input,
    h('span', { 'aria-hidden': 'true' }, '+'),
  );
}

export function attachedChips(changed: () => void): HTMLElement | null {
  if (!files.length) return null;
  return h(
    'div',
    { class: 'attached' },
    ...files.map((f, i) =>
      h(
        'span',
        { class: 'attached-file' },
        `📎 ${f.name}`,
        h(
          'button',
          {
            class: 'close',
            title: tr('cancel'),
            onclick: () => {
              files = files.filter((_, j) => j !== i);
              changed();
            },
          },
          '✕',
        ),
      ),
    ),
  );
}

export const hasAttached = (): boolean => files.length > 0;

/** The chosen files, read for the server; the box is empty afterwards. */
export async function takeAttached(): Promise<Awaited<ReturnType<typeof readUpload>>[]> {
  const taken = files;
  files = [];
  return Promise.all(taken.map(readUpload));
}
