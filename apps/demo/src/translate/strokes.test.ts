import { describe, expect, it } from 'vitest';
import { paintSegment } from './strokes.js';

const grid = (cells: Float32Array, w: number) =>
  Array.from({ length: cells.length / w }, (_, y) =>
    Array.from(cells.subarray(y * w, (y + 1) * w), (v) => (v ? '#' : '.')).join(''),
  );

describe('paintSegment', () => {
  it('a thin pen marks the cells under the segment, a dot the cell under the pointer', () => {
    const cells = new Float32Array(5 * 5);
    expect(paintSegment(cells, 5, 5, undefined, { x: 2.3, y: 1.9 }, { radius: 0, value: 1 })).toBe(true);
    expect(grid(cells, 5)).toEqual(['.....', '..#..', '.....', '.....', '.....']);
    paintSegment(cells, 5, 5, { x: 0.5, y: 3.5 }, { x: 4.5, y: 3.5 }, { radius: 0, value: 1 });
    expect(grid(cells, 5)[3]).toBe('#####');
    // the same stroke again changes nothing
    expect(paintSegment(cells, 5, 5, { x: 0.5, y: 3.5 }, { x: 4.5, y: 3.5 }, { radius: 0, value: 1 })).toBe(
      false,
    );
  });

  it('a wide brush covers a disc, clipped at the border; the eraser writes its own value', () => {
    const cells = new Float32Array(6 * 6);
    paintSegment(cells, 6, 6, undefined, { x: 0.5, y: 0.5 }, { radius: 1.1, value: 1 });
    expect(grid(cells, 6).slice(0, 3)).toEqual(['##....', '#.....', '......']);
    paintSegment(cells, 6, 6, undefined, { x: 3.5, y: 3.5 }, { radius: 1, value: 1 });
    expect(grid(cells, 6).slice(2, 5)).toEqual(['...#..', '..###.', '...#..']);
    paintSegment(cells, 6, 6, { x: 0, y: 3.5 }, { x: 5.9, y: 3.5 }, { radius: 0, value: 0 });
    expect(grid(cells, 6).slice(2, 5)).toEqual(['...#..', '......', '...#..']);
  });
});
