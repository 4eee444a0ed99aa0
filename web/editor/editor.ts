import { h, type PageData, readData } from './dom.js';
import { Mask } from './mask.js';
import { type Tool, Tools } from './tools.js';

/** The painted area as shown over the image (the mask itself is exported white on black). */
const PAINT = '#ff3d7f';
const TOOLS: Tool[] = ['rect', 'lasso', 'brush', 'eraser'];
/** Tool icons as SVG paths (24×24, stroked): no icon font, no emoji font needed. */
const ICONS: Record<Tool, string> = {
  rect: 'M4 6h16v12H4z',
  lasso: 'M12 4c5 0 8 2.5 8 5.5S16.4 15 12 15 4 12.5 4 9.5 7 4 12 4zM8 14c-1.5 2-.5 4.5 2 5.5',
  brush: 'M19 3l2 2-8.5 8.5-2-2zM9 13c-2.5 0-4 1.7-4 4 0 1.2-.8 2-2 2 3.5 1.5 8 .5 8.5-3.5z',
  eraser: 'M14.5 4l5.5 5.5-8.5 8.5H7L3.5 14.5zM9 9.5l5.5 5.5M11 18h9',
};

function icon(path: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', path);
  svg.append(p);
  return svg;
}

function start(): void {
  const app = document.getElementById('app');
  if (!app) return;
  const token = app.dataset.token ?? '';
  const data = readData();
  const s = data.strings;
  const image = h('img', { src: `${encodeURIComponent(token)}/image`, alt: s.title, draggable: 'false' });
  const maskCanvas = h('canvas', { class: 'mask', 'aria-hidden': 'true' });
  const previewCanvas = h('canvas', { class: 'preview', id: 'canvas', 'aria-label': s.hint });
  const stage = h('div', { class: 'stage', id: 'stage' }, image, maskCanvas, previewCanvas);
  const status = h('p', { class: 'status', id: 'status', role: 'status', 'aria-live': 'polite' });
  const toolButtons = TOOLS.map((tool) =>
    h(
      'button',
      { type: 'button', id: `tool-${tool}`, 'aria-pressed': 'false', title: s[tool] },
      icon(ICONS[tool]),
      h('span', {}, s[tool]),
    ),
  );
  const size = h('input', {
    type: 'range',
    id: 'size',
    min: '4',
    max: '120',
    value: '32',
    'aria-label': s.size,
  });
  const undo = h('button', { type: 'button', id: 'undo', title: s.undo }, '↶', h('span', {}, s.undo));
  const redo = h('button', { type: 'button', id: 'redo', title: s.redo }, '↷', h('span', {}, s.redo));
  const clear = h('button', { type: 'button', id: 'clear', title: s.clear }, '✕', h('span', {}, s.clear));
  const prompt = h('textarea', { id: 'prompt', rows: '3', maxlength: String(data.maxPromptLength) });
  prompt.value = data.prompt;
  const submit = h('button', { type: 'button', id: 'submit', class: 'primary' }, s.submit);
  const form = h(
    'form',
    { class: 'send' },
    h('label', { for: 'prompt' }, s.prompt),
    prompt,
    h('div', { class: 'row' }, submit),
  );
  app.append(
    h('header', {}, h('h1', {}, s.title), h('p', { class: 'hint' }, s.hint)),
    h(
      'div',
      { class: 'toolbar', role: 'toolbar' },
      h('div', { class: 'group' }, ...toolButtons),
      h('label', { class: 'group size' }, h('span', {}, s.size), size),
      h('div', { class: 'group' }, undo, redo, clear),
    ),
    stage,
    form,
    status,
  );

  const refresh = () => {
    undo.disabled = !mask.canUndo();
    redo.disabled = !mask.canRedo();
  };
  const mask = new Mask(maskCanvas, PAINT, refresh);
  const tools = new Tools(mask, previewCanvas);
  const choose = (tool: Tool) => {
    tools.tool = tool;
    for (const [i, b] of toolButtons.entries()) b.setAttribute('aria-pressed', String(TOOLS[i] === tool));
    size.disabled = tool !== 'brush' && tool !== 'eraser';
    stage.dataset.tool = tool;
  };
  for (const [i, b] of toolButtons.entries()) b.addEventListener('click', () => choose(TOOLS[i] as Tool));
  size.addEventListener('input', () => {
    tools.size = Number(size.value);
  });
  undo.addEventListener('click', () => mask.undo());
  redo.addEventListener('click', () => mask.redo());
  clear.addEventListener('click', () => mask.clear());
  choose('rect');
  refresh();

  const fitStage = () => {
    if (!image.naturalWidth) return;
    const room = { w: app.clientWidth, h: Math.max(window.innerHeight * 0.62, 240) };
    const k = Math.min(room.w / image.naturalWidth, room.h / image.naturalHeight);
    stage.style.width = `${Math.floor(image.naturalWidth * k)}px`;
    stage.style.height = `${Math.floor(image.naturalHeight * k)}px`;
  };
  image.addEventListener('load', () => {
    for (const c of [maskCanvas, previewCanvas]) {
      c.width = image.naturalWidth;
      c.height = image.naturalHeight;
    }
    fitStage();
    stage.classList.add('ready');
  });
  image.addEventListener('error', () => say(status, s.imageFailed, 'error'));
  window.addEventListener('resize', fitStage);
  // A plain button's click (mouse, pen or a finger's tap), not a form submission.
  form.addEventListener('submit', (e) => e.preventDefault());
  submit.addEventListener('click', () => {
    void send(token, data, { mask, prompt, submit, status, app });
  });
}

function say(
  status: HTMLElement,
  text: string,
  kind: 'info' | 'error' | 'done',
  link?: string,
  label?: string,
): void {
  status.className = `status ${kind}`;
  status.replaceChildren(text);
  if (link && label) {
    status.append(
      ' ',
      h('a', { href: link, target: '_blank', rel: 'noopener noreferrer', id: 'jump' }, label),
    );
  }
}

async function send(
  token: string,
  data: PageData,
  ui: {
    mask: Mask;
    prompt: HTMLTextAreaElement;
    submit: HTMLButtonElement;
    status: HTMLElement;
    app: HTMLElement;
  },
): Promise<void> {
  const s = data.strings;
  if (ui.mask.width === 0 || ui.mask.isEmpty()) return say(ui.status, s.empty, 'error');
  ui.submit.disabled = true;
  say(ui.status, s.sending, 'info');
  try {
    const res = await fetch(`${encodeURIComponent(token)}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: ui.prompt.value, mask: ui.mask.toPng() }),
      credentials: 'omit',
    });
    const answer = (await res.json().catch(() => ({}))) as {
      ok?: boolean;
      message?: string;
      url?: string | null;
    };
    if (res.ok && answer.ok) {
      ui.app.classList.add('sent');
      return say(ui.status, answer.message ?? s.done, 'done', answer.url ?? undefined, s.jump);
    }
    say(ui.status, answer.message ?? s.failed, 'error');
    // A refused link stays refused; a refused mask or prompt can be fixed and sent again.
    ui.submit.disabled = res.status === 410 || res.status === 403;
  } catch {
    say(ui.status, s.failed, 'error');
    ui.submit.disabled = false;
  }
}

start();
