/** One message as Discord shows it: author, reply or command line, content, embeds, attachments, components. */
import type { Json, ViewAttachment, ViewMessage } from '../shared.js';
import { renderComponents } from './components.js';
import { h } from './dom.js';
import { localized, tr } from './i18n.js';
import { markdown } from './markdown.js';
import { nameOf, store } from './store.js';

const COLOURS = ['#5865f2', '#eb459e', '#57f287', '#fee75c', '#ed4245', '#3ba55c'];

function avatar(userId: string): HTMLElement {
  const isBot = userId === store.world.bot.id;
  const colour = isBot ? '#5865f2' : COLOURS[Number(BigInt(userId) % 5n) + 1];
  return h(
    'div',
    { class: 'avatar', style: `background:${colour}` },
    isBot ? '⛵' : (nameOf(userId)[0] ?? '?').toUpperCase(),
  );
}

const html = (cls: string, markup: string) => {
  const el = h('div', { class: cls });
  el.innerHTML = markup;
  return el;
};

const isImage = (a: ViewAttachment) =>
  (a.contentType ?? '').startsWith('image/') || /\.(png|jpe?g|gif|webp)$/i.test(a.filename);

function attachment(a: ViewAttachment): HTMLElement {
  if (isImage(a))
    return h(
      'a',
      { href: a.url, target: '_blank', class: 'image' },
      h('img', { src: a.url, alt: a.filename, loading: 'lazy' }),
    );
  return h(
    'a',
    { class: 'file', href: a.url, target: '_blank' },
    `📄 ${a.filename}`,
    h('span', { class: 'size' }, `${Math.ceil(a.size / 1024)} KB`),
  );
}

function embed(e: Json, m: ViewMessage): HTMLElement {
  const colour = typeof e.color === 'number' ? `#${e.color.toString(16).padStart(6, '0')}` : '#1e1f22';
  const shownAsFile = (url: string) => m.attachments.some((a) => a.url === url);
  return h(
    'div',
    { class: 'embed', style: `border-left-color:${colour}` },
    h(
      'div',
      { class: 'embed-body' },
      e.author?.name ? h('div', { class: 'embed-author' }, String(e.author.name)) : null,
      e.title
        ? e.url
          ? h('a', { class: 'embed-title', href: String(e.url), target: '_blank' }, String(e.title))
          : h('div', { class: 'embed-title' }, String(e.title))
        : null,
      e.description ? html('embed-description', markdown(String(e.description))) : null,
      e.fields?.length
        ? h(
            'div',
            { class: 'embed-fields' },
            ...e.fields.map((f: Json) =>
              h(
                'div',
                { class: `embed-field${f.inline ? ' inline' : ''}` },
                h('div', { class: 'field-name' }, String(f.name)),
                html('field-value', markdown(String(f.value))),
              ),
            ),
          )
        : null,
      e.image?.url
        ? h('img', {
            class: 'embed-image',
            src: String(e.image.url),
            alt: '',
            'data-file': shownAsFile(String(e.image.url)) ? '1' : undefined,
          })
        : null,
      e.footer?.text
        ? h(
            'div',
            { class: 'embed-footer' },
            String(e.footer.text),
            e.timestamp ? ` • ${new Date(e.timestamp).toLocaleString()}` : '',
          )
        : null,
    ),
    e.thumbnail?.url ? h('img', { class: 'embed-thumb', src: String(e.thumbnail.url), alt: '' }) : null,
  );
}

function header(m: ViewMessage): HTMLElement | null {
  if (m.replyTo) {
    const parent = store.messages.get(m.replyTo);
    const snippet = parent
      ? (parent.content || parent.embeds[0]?.description || '📎').replace(/\s+/g, ' ').slice(0, 90)
      : tr('jumped');
    return h(
      'a',
      { class: 'reply-line jump', href: '#', 'data-jump': m.replyTo },
      h('span', { class: 'reply-spine' }),
      parent ? h('span', { class: 'reply-author' }, `@${nameOf(parent.authorId)}`) : null,
      h('span', { class: 'reply-text' }, snippet),
    );
  }
  if (m.via?.command) {
    const def = store.commands.find((c) => c.name === m.via?.command);
    return h(
      'div',
      { class: 'reply-line' },
      h('span', { class: 'reply-spine' }),
      h('span', { class: 'reply-author' }, nameOf(m.via.userId)),
      ` ${tr('used')} `,
      // A message command (Apps menu) shows without the slash.
      h(
        'span',
        { class: 'command-name' },
        `${def?.type === 3 ? '' : '/'}${def ? localized(def, 'name') : m.via.command}`,
      ),
    );
  }
  return null;
}

/** "(edited)" at the end of the last line, as Discord puts it. */
function edited(markup: string, was: boolean): string {
  return was ? markup.replace(/<\/div>$/, `<span class="edited">${tr('edited')}</span></div>`) : markup;
}

export function renderMessage(m: ViewMessage): HTMLElement {
  const isBot = m.authorId === store.world.bot.id;
  const time = new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const hidden = m.embeds.flatMap((e: Json) => [e.image?.url, e.thumbnail?.url]).filter(Boolean);
  const files = m.attachments.filter((a) => !hidden.includes(a.url));
  return h(
    'article',
    { class: `message${m.visibleTo ? ' ephemeral' : ''}`, id: `m${m.id}`, 'data-id': m.id },
    header(m),
    h(
      'div',
      { class: 'message-main' },
      avatar(m.authorId),
      h(
        'div',
        { class: 'message-body' },
        h(
          'div',
          { class: 'message-meta' },
          h('span', { class: 'author' }, nameOf(m.authorId)),
          isBot ? h('span', { class: 'bot-tag' }, tr('bot')) : null,
          h('time', {}, time),
        ),
        m.visibleTo
          ? null
          : h(
              'button',
              { class: 'more', title: tr('more'), 'aria-label': tr('more'), 'data-more': m.id },
              '⋯',
            ),
        m.loading ? h('div', { class: 'thinking' }, `${nameOf(m.authorId)} ${tr('thinking')}`) : null,
        m.content ? html('content', edited(markdown(m.content), m.edited)) : null,
        ...m.embeds.map((e: Json) => embed(e, m)),
        files.length ? h('div', { class: 'attachments' }, ...files.map(attachment)) : null,
        renderComponents(m),
        m.visibleTo
          ? h(
              'div',
              { class: 'ephemeral-note' },
              '👁 ',
              tr('onlyYou'),
              ' • ',
              h('a', { href: '#', class: 'dismiss', 'data-dismiss': m.id }, tr('dismiss')),
            )
          : null,
      ),
    ),
  );
}
