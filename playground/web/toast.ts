/** Short notes at the bottom of the page (the local Discord's refusals, "the application did not respond"). */
import { h } from './dom.js';

export function toast(text: string): void {
  const box = document.getElementById('toasts');
  const note = h('div', { class: 'toast', role: 'alert' }, text);
  box?.append(note);
  setTimeout(() => note.remove(), 6_000);
}
