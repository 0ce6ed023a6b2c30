/** How the readouts print numbers. */

/** A loss or divergence: 4 significant digits; "—" before there is one; NaN/∞ as such. */
export function formatValue(v: number | undefined, digits = 4): string {
  if (v == null) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** A share as a percentage: 0.734 → "73%". */
export function formatShare(v: number | undefined): string {
  return v == null || !Number.isFinite(v) ? '—' : `${Math.round(v * 100)}%`;
}

/** Iterations per second: one decimal below 10. */
export function formatSpeed(v: number): string {
  if (!(v > 0)) return '—';
  return v < 10 ? v.toFixed(1) : String(Math.round(v));
}

/** A learning rate as the page shows it: 0.001 → "1e-3", 0.0003 → "3e-4", 0.1 → "0.1". */
export function formatRate(lr: number): string {
  if (lr >= 0.1) return String(lr);
  const [mantissa, exponent] = lr.toExponential().split('e');
  return `${Number(mantissa).toString()}e${Number(exponent)}`;
}
