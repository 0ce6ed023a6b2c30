import { describe, expect, it } from 'vitest';
import { decodeFloat16, encodeFloat16, FLOAT16_MAX, fromFloat16, toFloat16 } from './float16.js';

describe('float16', () => {
  it('encodes the standard’s reference values', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [1 / 3, 0x3555],
      [FLOAT16_MAX, 0x7bff],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -14 - 2 ** -24, 0x03ff], // largest subnormal
      [Number.POSITIVE_INFINITY, 0x7c00],
      [Number.NEGATIVE_INFINITY, 0xfc00],
      [65520, 0x7c00], // halfway past the largest: rounds (to even) to infinity
      [2 ** -25, 0x0000], // halfway to the smallest subnormal: ties to even, zero
      [1 + 2 ** -11, 0x3c00], // halfway between 1 and the next half: to even (1)
      [1 + 3 * 2 ** -11, 0x3c02], // halfway between 1 + 2⁻¹⁰ and 1 + 2⁻⁹: to even (the latter)
    ];
    for (const [v, bits] of cases) expect([v, toFloat16(v)]).toEqual([v, bits]);
    expect(Number.isNaN(fromFloat16(toFloat16(Number.NaN)))).toBe(true);
  });

  it('decodes every half exactly and round-trips it; floats land within half a unit in the last place', () => {
    for (let h = 0; h < 65536; h++) {
      const v = fromFloat16(h);
      if (Number.isNaN(v)) continue;
      expect(toFloat16(v)).toBe(h);
    }
    const values = Float32Array.from({ length: 2000 }, (_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 9) - 5));
    const back = decodeFloat16(encodeFloat16(values));
    values.forEach((v, i) => {
      const ulp = Math.abs(v) < 2 ** -14 ? 2 ** -24 : 2 ** (Math.floor(Math.log2(Math.abs(v))) - 10);
      expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(ulp / 2 + 1e-30);
    });
  });
});
