// The stdout Ink draws the story screen through. It forwards everything to the terminal except while the
// terminal is being resized: Ink redraws by erasing the lines it wrote last, and after a resize those
// lines have moved (the terminal reflows them, pushes some into the scrollback and may pull some back),
// so Ink's own redraw leaves copies of the old frame behind, and a frame momentarily taller than the
// shrunken window makes Ink clear the whole terminal, scrollback included. Instead, output is held until
// the size has settled; then the old frame is erased and the frame for the new size drawn once.
//
// It relies on the story screen's frame filling the window (rows - 1 lines, see screen-layout.ts): after
// a shrink every visible line is the app's, and after a growth the old frame sits just above the cursor.
import { EventEmitter } from 'node:events';

/** How long the size must stay put before the screen is redrawn (a window being dragged sends many). */
export const SETTLE_MS = 100;
/** Written through Ink to find where its redraw starts (an SGR reset: harmless wherever it lands). */
const MARK = '\x1b[m';
const ESC = '\x1b[';

export class ScreenStream extends EventEmitter {
  /** Asks Ink to write `data` and then its current frame again (useStdout().write), set by the app. */
  redraw?: (data: string) => void;
  private held = false;
  private recording?: string[];
  private timer?: NodeJS.Timeout;
  private drawn: { columns: number; rows: number };

  constructor(readonly target: NodeJS.WriteStream) {
    super();
    this.drawn = { columns: target.columns, rows: target.rows };
    target.on('resize', this.onResize);
  }

  get columns(): number {
    return this.target.columns;
  }
  get rows(): number {
    return this.target.rows;
  }
  get isTTY(): boolean {
    return this.target.isTTY;
  }
  hasColors(...args: Parameters<NodeJS.WriteStream['hasColors']>): boolean {
    return this.target.hasColors(...args);
  }
  getColorDepth(...args: Parameters<NodeJS.WriteStream['getColorDepth']>): number {
    return this.target.getColorDepth(...args);
  }

  write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    if (this.recording) this.recording.push(String(chunk));
    if (this.held) return true;
    return (this.target.write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }

  /** Stops listening and lets any held output through (on exit). */
  close(): void {
    clearTimeout(this.timer);
    this.held = false;
    this.target.off('resize', this.onResize);
  }

  private onResize = () => {
    this.held = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.settle, SETTLE_MS);
  };

  private settle = () => {
    // Ink and the app re-render for the new size while output is still held...
    this.emit('resize');
    this.timer = setTimeout(() => {
      const before = this.drawn;
      const now = { columns: this.target.columns, rows: this.target.rows };
      // ...then Ink is asked for its frame, which is recorded instead of written.
      this.recording = [];
      this.redraw?.(MARK);
      const written = this.recording;
      this.recording = undefined;
      this.held = false;
      const at = written.indexOf(MARK);
      const frame = at >= 0 ? written.slice(at + 1).join('') : '';
      this.drawn = now;
      this.target.write(eraseOldFrame(before.rows, now.rows) + frame);
    }, SETTLE_MS);
  };
}

/**
 * Erases the frame drawn for a window `oldRows` high, now that it is `newRows` high, leaving the cursor
 * where the new frame starts. Shrunk (or same height): everything visible is the old frame, so every
 * line is blanked and the frame starts at the top. Grown: the terminal may have pulled lines back from
 * the scrollback above the old frame; they are left alone (the new, taller frame scrolls them back) and
 * only the old frame's lines, just above the cursor, are blanked.
 */
export function eraseOldFrame(oldRows: number, newRows: number): string {
  if (newRows <= oldRows) {
    let out = '';
    for (let r = 1; r <= newRows; r++) out += `${ESC}${r};1H${ESC}2K`;
    return out + `${ESC}H`;
  }
  let out = `${ESC}2K`;
  for (let i = 1; i < oldRows; i++) out += `${ESC}1A${ESC}2K`;
  return out + `${ESC}G`;
}
