/**
 * Mode coverage on mixtures of Gaussians, the PacGAN / VEEGAN protocol: a generated sample is high-quality when it
 * lies within 3σ of its nearest mode; a mode is covered when it is the nearest mode of at least one high-quality
 * sample; reverse KL is KL(histogram of high-quality samples over the modes ‖ uniform), natural log.
 */
export interface ModeCoverage {
  modesCovered: number;
  modes: number;
  /** Share of all samples that are high-quality. */
  highQuality: number;
  reverseKl: number;
  /** High-quality samples per mode. */
  counts: number[];
  samples: number;
}

export function modeCoverage(
  samples: ArrayLike<number>,
  dim: number,
  mixture: { modes: number[][]; sigma: number },
): ModeCoverage {
  const n = samples.length / dim;
  if (!Number.isInteger(n) || n === 0)
    throw new Error(`modeCoverage: ${samples.length} values are not whole ${dim}-D samples`);
  const { modes, sigma } = mixture;
  const counts = new Array(modes.length).fill(0);
  let hq = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let m = 0; m < modes.length; m++) {
      let d = 0;
      for (let k = 0; k < dim; k++) d += (samples[i * dim + k]! - modes[m]![k]!) ** 2;
      if (d < bestD) {
        bestD = d;
        best = m;
      }
    }
    if (Math.sqrt(bestD) <= 3 * sigma) {
      hq++;
      counts[best]++;
    }
  }
  let reverseKl = 0;
  if (hq > 0) {
    for (const c of counts) if (c > 0) reverseKl += (c / hq) * Math.log((c / hq) * modes.length);
  } else reverseKl = Number.POSITIVE_INFINITY;
  return {
    modesCovered: counts.filter((c) => c > 0).length,
    modes: modes.length,
    highQuality: hq / n,
    reverseKl,
    counts,
    samples: n,
  };
}

/** A normalised 2-D histogram on a `bins × bins` grid over [lo, hi]² (samples outside are clamped to the edge bins). */
export function histogram2d(samples: ArrayLike<number>, bins: number, lo: number, hi: number): Float64Array {
  const h = new Float64Array(bins * bins);
  const n = samples.length / 2;
  const cell = (v: number) => Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
  for (let i = 0; i < n; i++) h[cell(samples[2 * i]!) * bins + cell(samples[2 * i + 1]!)]! += 1 / n;
  return h;
}

/** A normalised 1-D histogram of `bins` bins over [lo, hi] (samples outside are clamped to the edge bins). */
export function histogram1d(samples: ArrayLike<number>, bins: number, lo: number, hi: number): Float64Array {
  const h = new Float64Array(bins);
  const n = samples.length;
  for (let i = 0; i < n; i++) {
    h[Math.min(bins - 1, Math.max(0, Math.floor(((samples[i]! - lo) / (hi - lo)) * bins)))]! += 1 / n;
  }
  return h;
}

/**
 * KL(p ‖ q) and JS(p ‖ q) of two histograms (natural log), as GAN Lab charts them. KL adds ε to q's empty bins so
 * that it stays finite; JS needs no ε and is bounded by log 2.
 */
export function histogramDivergences(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  epsilon = 1e-10,
): { kl: number; js: number } {
  if (p.length !== q.length) throw new Error(`histograms differ in size: ${p.length} and ${q.length}`);
  let kl = 0;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = q[i]!;
    if (a > 0) kl += a * Math.log(a / (b + epsilon));
    const m = (a + b) / 2;
    if (a > 0) js += 0.5 * a * Math.log(a / m);
    if (b > 0) js += 0.5 * b * Math.log(b / m);
  }
  return { kl, js };
}
