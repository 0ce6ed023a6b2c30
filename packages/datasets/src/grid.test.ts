import { describe, expect, it } from 'vitest';
import { cellOrigin, gridLayout, gridPixels, toByte } from './grid.js';

describe('sample grid layout', () => {
  it('places images row-major with a gap between them and around the grid', () => {
    const layout = gridLayout(80, 8, [28, 28]);
    expect(layout).toMatchObject({ rows: 10, cols: 8, width: 8 * 28 + 9 * 2, height: 10 * 28 + 11 * 2 });
    expect(cellOrigin(layout, 0)).toEqual([2, 2]);
    expect(cellOrigin(layout, 7)).toEqual([2 + 7 * 30, 2]);
    expect(cellOrigin(layout, 8)).toEqual([2, 32]);
    expect(cellOrigin(layout, 79)).toEqual([2 + 7 * 30, 2 + 9 * 30]);
    // a last row that is not full still counts; no gap at all for a single big frame
    expect(gridLayout(10, 4, [5, 3], 1)).toMatchObject({ rows: 3, width: 4 * 3 + 5, height: 3 * 5 + 4 });
    expect(gridLayout(1, 1, [28, 28, 1], 0)).toMatchObject({ width: 28, height: 28 });
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => gridLayout(0, 8, [28, 28])).toThrow(/count must be a positive integer, got 0/);
    expect(() => gridLayout(4, 1.5, [28, 28])).toThrow(/cols/);
    expect(() => gridLayout(4, 2, [28])).toThrow(/image width/);
    expect(() => gridLayout(4, 2, [2, 2], -1)).toThrow(/gap/);
  });
});

describe('grid pixels', () => {
  it('maps the generator range to bytes, clamping and treating NaN as black', () => {
    expect(toByte(-1, -1, 1)).toBe(0);
    expect(toByte(1, -1, 1)).toBe(255);
    expect(toByte(0, -1, 1)).toBe(128);
    expect(toByte(0.5, 0, 1)).toBe(128);
    expect(toByte(7, -1, 1)).toBe(255);
    expect(toByte(-7, -1, 1)).toBe(0);
    expect(toByte(Number.NaN, -1, 1)).toBe(0);
  });

  it('draws grey images into their cells over the background', () => {
    // two 2×2 images in a row, gap 1: values −1 (black) and +1 (white)
    const layout = gridLayout(2, 2, [2, 2], 1);
    const values = [-1, -1, -1, -1, 1, 1, 1, 1];
    const px = gridPixels(values, [2, 2, 2, 1], [-1, 1], layout, [9, 9, 9]);
    expect(px).toHaveLength(layout.width * layout.height * 4);
    const at = (x: number, y: number) =>
      Array.from(px.subarray((y * layout.width + x) * 4, (y * layout.width + x) * 4 + 4));
    expect(at(0, 0)).toEqual([9, 9, 9, 255]); // the border
    expect(at(1, 1)).toEqual([0, 0, 0, 255]); // image 0
    expect(at(2, 2)).toEqual([0, 0, 0, 255]);
    expect(at(3, 1)).toEqual([9, 9, 9, 255]); // the gap
    expect(at(4, 1)).toEqual([255, 255, 255, 255]); // image 1
    expect(at(5, 2)).toEqual([255, 255, 255, 255]);
  });

  it('draws RGB images, leaves empty cells as background, and checks the shape', () => {
    const layout = gridLayout(2, 2, [1, 1], 0);
    const px = gridPixels([0, 0.5, 1], [1, 1, 1, 3], [0, 1], layout, [1, 2, 3]);
    expect(Array.from(px)).toEqual([0, 128, 255, 255, 1, 2, 3, 255]);
    expect(() => gridPixels([0, 0], [1, 1, 1, 2], [0, 1], layout)).toThrow(/1 or 3 channels/);
    expect(() => gridPixels([0], [1, 2, 1, 1], [0, 1], layout)).toThrow(
      /images must be \[n, 1, 1, channels\]/,
    );
    expect(() => gridPixels([0], [2, 1, 1, 1], [0, 1], layout)).toThrow(/holds 2 values, got 1/);
  });

  it('draws each image pixel as scale × scale pixels (the CLI draws its PNGs at 2×)', () => {
    const layout = gridLayout(1, 1, [1, 2], 1, 2);
    expect(layout).toMatchObject({ imageHeight: 2, imageWidth: 4, width: 6, height: 4 });
    const px = gridPixels([0, 1], [1, 1, 2, 1], [0, 1], layout, [7, 7, 7]);
    const row = (y: number) => Array.from({ length: 6 }, (_, x) => px[(y * 6 + x) * 4]);
    expect(row(0)).toEqual([7, 7, 7, 7, 7, 7]);
    expect(row(1)).toEqual([7, 0, 0, 255, 255, 7]);
    expect(row(2)).toEqual([7, 0, 0, 255, 255, 7]);
    expect(() => gridLayout(1, 1, [2, 2], 0, 1.5)).toThrow(/scale must be a positive integer/);
  });
});
