/** A point in the image's own pixels. */
export interface Point {
  x: number;
  y: number;
}

/** Undo steps kept (each is a full copy of the mask). */
const HISTORY = 20;

/**
 * The painted region, in the image's own pixels: opaque where painted, transparent elsewhere. Every change is a
 * step that undo/redo move through. Exported as a PNG of the same size: white = regenerate, black = keep.
 */
export class Mask {
  readonly ctx: CanvasRenderingContext2D;
  private readonly undos: ImageData[] = [];
  private redos: ImageData[] = [];

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly colour: string,
    private readonly onChange: () => void,
  ) {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
  }

  get width(): number {
    return this.canvas.width;
  }

  get height(): number {
    return this.canvas.height;
  }

  canUndo(): boolean {
    return this.undos.length > 0;
  }

  canRedo(): boolean {
    return this.redos.length > 0;
  }

  /** Starts a step: the state before it is kept for undo. */
  begin(): void {
    this.undos.push(this.snapshot());
    if (this.undos.length > HISTORY) this.undos.shift();
    this.redos = [];
    this.onChange();
  }

  undo(): void {
    const before = this.undos.pop();
    if (!before) return;
    this.redos.push(this.snapshot());
    this.ctx.putImageData(before, 0, 0);
    this.onChange();
  }

  redo(): void {
    const after = this.redos.pop();
    if (!after) return;
    this.undos.push(this.snapshot());
    this.ctx.putImageData(after, 0, 0);
    this.onChange();
  }

  clear(): void {
    if (this.isEmpty()) return;
    this.begin();
    this.ctx.clearRect(0, 0, this.width, this.height);
    this.onChange();
  }

  fillRect(a: Point, b: Point): void {
    this.begin();
    this.paint(false, () => {
      this.ctx.fillRect(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(b.x - a.x), Math.abs(b.y - a.y));
    });
  }

  fillPolygon(points: Point[]): void {
    if (points.length < 3) return;
    this.begin();
    this.paint(false, () => {
      this.ctx.beginPath();
      for (const p of points) this.ctx.lineTo(p.x, p.y);
      this.ctx.closePath();
      this.ctx.fill();
    });
  }

  /** One segment of a brush (or eraser) stroke; a dot when `from` is `to`. */
  line(from: Point, to: Point, width: number, erase: boolean): void {
    this.paint(erase, () => {
      const c = this.ctx;
      c.lineWidth = width;
      c.lineCap = 'round';
      c.lineJoin = 'round';
      c.beginPath();
      c.moveTo(from.x, from.y);
      c.lineTo(to.x === from.x && to.y === from.y ? to.x + 0.01 : to.x, to.y);
      c.stroke();
    });
    this.onChange();
  }

  isEmpty(): boolean {
    const data = this.ctx.getImageData(0, 0, this.width, this.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return false;
    return true;
  }

  /** The mask as Midjourney takes it: a PNG of the image's size, white where painted, black elsewhere. */
  toPng(): string {
    const out = document.createElement('canvas');
    out.width = this.width;
    out.height = this.height;
    const o = out.getContext('2d');
    if (!o) throw new Error('no 2D canvas');
    o.drawImage(this.canvas, 0, 0);
    o.globalCompositeOperation = 'source-in';
    o.fillStyle = '#fff';
    o.fillRect(0, 0, this.width, this.height);
    o.globalCompositeOperation = 'destination-over';
    o.fillStyle = '#000';
    o.fillRect(0, 0, this.width, this.height);
    return out.toDataURL('image/png');
  }

  private paint(erase: boolean, draw: () => void): void {
    const c = this.ctx;
    c.save();
    c.globalCompositeOperation = erase ? 'destination-out' : 'source-over';
    c.fillStyle = this.colour;
    c.strokeStyle = this.colour;
    draw();
    c.restore();
  }

  private snapshot(): ImageData {
    return this.ctx.getImageData(0, 0, this.width, this.height);
  }
}
