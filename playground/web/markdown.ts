/**
 * The part of Discord's markdown the bot writes: headings, -# subtext, > quotes, **bold**, *italic*, __underline__,
 * ~~strike~~, `code`, ``` blocks ```, [links](url), <@mentions>, <#channels>, <t:timestamps>. Text is escaped first.
 */
import { nameOf, store } from './store.js';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A Discord message link → the id of the message it points at (the page jumps there). */
export function jumpTarget(url: string): string | null {
  return /^https:\/\/(?:\w+\.)?discord(?:app)?\.com\/channels\/[\d@me]+\/\d+\/(\d+)$/.exec(url)?.[1] ?? null;
}

function inline(text: string): string {
  const codes: string[] = [];
  let s = escapeHtml(text).replace(/`([^`]+)`/g, (_, c: string) => {
    codes.push(`<code>${c}</code>`);
    return `\uE000${codes.length - 1}\uE000`;
  });
  s = s
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_, label: string, url: string) => {
      const jump = jumpTarget(url.replace(/&amp;/g, '&'));
      return jump
        ? `<a href="#" class="jump" data-jump="${jump}">${label}</a>`
        : `<a href="${url}" target="_blank" rel="noreferrer">${label}</a>`;
    })
    .replace(/(^|\s)(https?:\/\/[^\s<]+)/g, (_, pre: string, url: string) => {
      const jump = jumpTarget(url);
      return jump
        ? `${pre}<a href="#" class="jump" data-jump="${jump}">${url}</a>`
        : `${pre}<a href="${url}" target="_blank" rel="noreferrer">${url}</a>`;
    })
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/__([^_]+)__/g, '<u>$1</u>')
    .replace(/\*([^*\s][^*]*)\*/g, '<em>$1</em>')
    .replace(/(^|\W)_([^_]+)_(?=\W|$)/g, '$1<em>$2</em>')
    .replace(/~~([^~]+)~~/g, '<s>$1</s>')
    .replace(
      /&lt;@!?(\d+)&gt;/g,
      (_, id: string) => `<span class="mention">@${escapeHtml(nameOf(id))}</span>`,
    )
    .replace(/&lt;@&amp;(\d+)&gt;/g, '<span class="mention">@role</span>')
    .replace(/&lt;#(\d+)&gt;/g, (_, id: string) => {
      const name = store.world.channels.find((c) => c.id === id)?.name ?? 'channel';
      return `<span class="mention">#${escapeHtml(name)}</span>`;
    })
    .replace(
      /&lt;t:(\d+)(?::\w)?&gt;/g,
      (_, t: string) => `<span class="ts">${new Date(Number(t) * 1000).toLocaleString()}</span>`,
    );
  return s.replace(/\uE000(\d+)\uE000/g, (_, i: string) => codes[Number(i)] ?? '');
}

/** Markdown → HTML (safe: everything the bot wrote is escaped before it is marked up). */
export function markdown(text: string): string {
  const out: string[] = [];
  const blocks = text.split(/```(?:\w*\n)?/);
  blocks.forEach((block, i) => {
    if (i % 2 === 1) {
      out.push(`<pre><code>${escapeHtml(block.replace(/\n$/, ''))}</code></pre>`);
      return;
    }
    for (const line of block.split('\n')) {
      const heading = /^(#{1,3}) (.*)$/.exec(line);
      if (heading) out.push(`<div class="h${heading[1]?.length}">${inline(heading[2] ?? '')}</div>`);
      else if (line.startsWith('-# ')) out.push(`<div class="subtext">${inline(line.slice(3))}</div>`);
      else if (/^>>?>? ?/.test(line) && line.startsWith('&gt;') === false && line.startsWith('>'))
        out.push(`<blockquote>${inline(line.replace(/^>>?>? ?/, ''))}</blockquote>`);
      else if (/^[-*] /.test(line)) out.push(`<div class="li">• ${inline(line.slice(2))}</div>`);
      else out.push(`<div class="line">${inline(line) || '&nbsp;'}</div>`);
    }
  });
  return out.join('');
}
