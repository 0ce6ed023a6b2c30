import { describe, expect, it } from 'vitest';
import { fashionClassRows } from './fashion-json.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const rows = (text: string) => fashionClassRows(bytes(text)).map((r) => Array.from(r));

describe("the fashion-mnist package's class files", () => {
  it('reads rows of pixels as JSON.parse would, whitespace and empty rows included', () => {
    const text = '{"data":[[0,12,255],[], [ 7 , 8 ]\n,[1]]}\n';
    expect(rows(text)).toEqual((JSON.parse(text) as { data: number[][] }).data);
    expect(rows('{"data":[]}')).toEqual([]);
  });

  it('refuses anything else, saying where', () => {
    expect(() => rows('[]')).toThrow("expected '{' at byte 0");
    expect(() => rows('{"pixels":[]}')).toThrow('expected the key "data" at byte 1');
    expect(() => rows('{"data":[[1,256]]}')).toThrow('expected a pixel value from 0 to 255 at byte 12');
    expect(() => rows('{"data":[[1,-2]]}')).toThrow('expected a pixel value from 0 to 255 at byte 12');
    expect(() => rows('{"data":[[1.5]]}')).toThrow("expected ',' or ']' after a pixel at byte 11");
    expect(() => rows('{"data":[[1]')).toThrow("expected ',' or ']' after an image at byte 12");
    expect(() => rows('{"data":[[1]]} x')).toThrow('expected the end of the file at byte 15');
  });
});
