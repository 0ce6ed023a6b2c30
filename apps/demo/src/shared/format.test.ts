import { describe, expect, it } from 'vitest';
import { formatRate, formatShare, formatSpeed, formatValue } from './format.js';

describe('readout formats', () => {
  it('prints losses, shares and speeds', () => {
    expect(formatValue(undefined)).toBe('—');
    expect(formatValue(Math.LN2)).toBe('0.6931');
    expect(formatValue(1234.567)).toBe('1235');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatValue(1e-6)).toBe('1.000e-6');
    expect(formatShare(0.734)).toBe('73%');
    expect(formatShare(undefined)).toBe('—');
    expect(formatSpeed(0)).toBe('—');
    expect(formatSpeed(1.34)).toBe('1.3');
    expect(formatSpeed(88.6)).toBe('89');
  });

  it('prints learning rates briefly', () => {
    expect([1e-4, 3e-4, 1e-3, 2e-3, 0.1].map(formatRate)).toEqual(['1e-4', '3e-4', '1e-3', '2e-3', '0.1']);
  });
});
