import type { Mask, Point } from './mask.js';

export type Tool = 'rect' | 'lasso' | 'brush' | 'eraser';

/**
 * Mouse, pen and touch on the image (pointer events): a rectangle or a lasso is drawn on the preview layer while
 * the pointer moves and filled into the mask when it is lifted; the brush and the eraser paint as they go.
 * Sizes are in screen pixels, converted to the image's pixels.
 */
export class Tools {
  tool: Tool = 'rect';
  /** Brush and eraser diameter, in screen pixels. */
  size = 32;
  private active: { id: number; start: Point; last: Point; points: Point[] } | null = null;
  private readonly preview: CanvasRenderingContext2D;

  constructor(
    private readonly mask: Mask,
    private readonly previewCanvas: HTMLCanvasElement,
  ) {
    const ctx = previewCanvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    this.preview = ctx;
    const on = (type: string, fn: (e: PointerEvent) => void) =>
      previewCanvas.addEventListener(type, fn as EventListener);
    on('pointerdown', (e) => this.down(e));
    on('pointermove', (e) => this.move(e));
    on('pointerup', (e) => this.up(e));
    on('pointercancel', () => this.cancel());
  }

  /** Screen pixels → image pixels. */
  private scale(): number {
    const r = this.previewCanvas.getBoundingClientRect();
    return r.width > 0 ? this.mask.width / r.width : 1;
  }

  private at(e: PointerEvent): Point {
    const r = this.previewCanvas.getBoundingClientRect();
    const k = this.scale();
    const x = Math.min(Math.max(e.clientX - r.left, 0), r.width) * k;
    const y = Math.min(Math.max(e.clientY - r.top, 0), r.height) * k;
    return { x, y };
  }

  private down(e: PointerEvent): void {
    if (!e.isPrimary || this.active || e.button > 0) return;
    e.preventDefault();
    this.previewCanvas.setPointerCapture(e.pointerId);
    const p = this.at(e);
    this.active = { id: e.pointerId, start: p, last: p, points: [p] };
    if (this.tool === 'brush' || this.tool === 'eraser') {
      this.mask.begin();
      this.mask.line(p, p, this.size * this.scale(), this.tool === 'eraser');
    }
  }

  private move(e: PointerEvent): void {
    const a = this.active;
    if (!a || e.pointerId !== a.id) return;
    e.preventDefault();
    const p = this.at(e);
    if (this.tool === 'brush' || this.tool === 'eraser') {
      this.mask.line(a.last, p, this.size * this.scale(), this.tool === 'eraser');
    } else if (this.tool === 'lasso') {
      a.points.push(p);
    }
    a.last = p;
    this.drawPreview();
  }

  private up(e: PointerEvent): void {
    const a = this.active;
    if (!a || e.pointerId !== a.id) return;
    const p = this.at(e);
    this.active = null;
    this.clearPreview();
    if (this.tool === 'rect' && Math.abs(p.x - a.start.x) >= 1 && Math.abs(p.y - a.start.y) >= 1) {
      this.mask.fillRect(a.start, p);
    } else if (this.tool === 'lasso') {
      this.mask.fillPolygon([...a.points, p]);
    }
  }

  private cancel(): void {
    this.active = null;
    this.clearPreview();
  }

  private clearPreview(): void {
    this.preview.clearRect(0, 0, this.previewCanvas.width, this.previewCanvas.height);
  }

  private drawPreview(): void {
    const a = this.active;
    if (!a || (this.tool !== 'rect' && this.tool !== 'lasso')) return;
    const c = this.preview;
    this.clearPreview();
    c.save();
    c.lineWidth = 2 * this.scale();
    c.setLineDash([6 * this.scale(), 4 * this.scale()]);
    c.strokeStyle = '#fff';
    c.fillStyle = 'rgba(255, 61, 127, 0.35)';
    c.beginPath();
    if (this.tool === 'rect') {
      c.rect(a.start.x, a.start.y, a.last.x - a.start.x, a.last.y - a.start.y);
    } else {
      for (const p of a.points) c.lineTo(p.x, p.y);
      c.closePath();
    }
    c.fill();
    c.stroke();
    c.restore();
  }
}
