/**
 * What a pointer drag does to a drawing pad's cells, without the DOM: a round brush dragged along a segment, in grid
 * units (x right, y down, a cell's centre at +0.5).
 */
export interface Point {
  x: number;
  y: number;
}

export interface Brush {
  /** In cells: 0 paints the cell under the pointer only; 1.5 a disc about three cells across. */
  radius: number;
  /** What the brush leaves in the cells it covers (1 pen, 0 eraser; the hole for a mask). */
  value: number;
}

/**
 * Paints the segment `from` → `to` (`from` undefined: a dot at `to`) into `cells` (`[h, w]`): every cell under a
 * point of the segment, and every cell whose centre lies within `radius` of one. Returns whether any cell changed.
 */
export function paintSegment(
  cells: Float32Array,
  h: number,
  w: number,
  from: Point | undefined,
  to: Point,
  brush: Brush,
): boolean {
  const start = from ?? to;
  const length = Math.hypot(to.x - start.x, to.y - start.y);
  const steps = Math.max(1, Math.ceil(length * 4));
  const r = brush.radius;
  let changed = false;
  const set = (y: number, x: number) => {
    if (y < 0 || y >= h || x < 0 || x >= w || cells[y * w + x] === brush.value) return;
    cells[y * w + x] = brush.value;
    changed = true;
  };
  for (let s = 0; s <= steps; s++) {
    const px = start.x + ((to.x - start.x) * s) / steps;
    const py = start.y + ((to.y - start.y) * s) / steps;
    set(Math.floor(py), Math.floor(px));
    for (let y = Math.floor(py - r - 0.5); y <= Math.ceil(py + r); y++)
      for (let x = Math.floor(px - r - 0.5); x <= Math.ceil(px + r); x++)
        if ((x + 0.5 - px) ** 2 + (y + 0.5 - py) ** 2 <= r * r) set(y, x);
  }
  return changed;
}
