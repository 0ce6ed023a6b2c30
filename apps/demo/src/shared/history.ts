/**
 * The numbers the playgrounds chart: D and G losses every iteration; the 2D playground's modes covered and JS
 * divergence each time its visuals are read. Bounded: past `maxPoints` a series halves by averaging neighbours, so a
 * long visit keeps a constant memory and the charts a constant cost.
 */

export type SeriesName = 'dLoss' | 'gLoss' | 'modes' | 'js';

export interface Series {
  x: number[];
  y: number[];
}

/**
 * A series is stored as buckets of `stride` consecutive values (their mean); when it outgrows `maxPoints`,
 * neighbouring buckets merge and the stride doubles, so every stored point stands for the same number of values.
 */
interface Stored {
  x: number[];
  y: number[];
  stride: number;
  /** The bucket being filled: sums of x and of finite y, and counts. */
  open: { sx: number; sy: number; n: number; finite: number };
}

export class MetricHistory {
  private readonly series = new Map<SeriesName, Stored>();

  constructor(readonly maxPoints = 400) {
    if (!Number.isInteger(maxPoints) || maxPoints < 4) throw new Error('history: maxPoints must be ≥ 4');
  }

  push(name: SeriesName, x: number, y: number): void {
    let s = this.series.get(name);
    if (s == null) {
      s = { x: [], y: [], stride: 1, open: { sx: 0, sy: 0, n: 0, finite: 0 } };
      this.series.set(name, s);
    }
    const b = s.open;
    b.sx += x;
    b.n++;
    if (Number.isFinite(y)) {
      b.sy += y;
      b.finite++;
    }
    if (b.n < s.stride) return;
    s.x.push(b.sx / b.n);
    s.y.push(b.finite > 0 ? b.sy / b.finite : Number.NaN);
    s.open = { sx: 0, sy: 0, n: 0, finite: 0 };
    if (s.x.length >= this.maxPoints) {
      halve(s);
      s.stride *= 2;
    }
  }

  /** The stored points, with the bucket still filling as the last one (so charts show the newest value). */
  get(name: SeriesName): Readonly<Series> {
    const s = this.series.get(name);
    if (s == null) return { x: [], y: [] };
    const b = s.open;
    if (b.n === 0) return { x: s.x, y: s.y };
    return { x: [...s.x, b.sx / b.n], y: [...s.y, b.finite > 0 ? b.sy / b.finite : Number.NaN] };
  }

  latest(name: SeriesName): number | undefined {
    const s = this.get(name);
    return s.y.length === 0 ? undefined : s.y[s.y.length - 1];
  }

  clear(): void {
    this.series.clear();
  }
}

/** Averages consecutive pairs (ignoring non-finite values); an odd last point stays as it is. */
function halve(s: Series): void {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i + 1 < s.x.length; i += 2) {
    x.push((s.x[i]! + s.x[i + 1]!) / 2);
    const a = s.y[i]!;
    const b = s.y[i + 1]!;
    y.push(Number.isFinite(a) && Number.isFinite(b) ? (a + b) / 2 : Number.isFinite(a) ? a : b);
  }
  if (s.x.length % 2 === 1) {
    x.push(s.x[s.x.length - 1]!);
    y.push(s.y[s.y.length - 1]!);
  }
  s.x = x;
  s.y = y;
}
