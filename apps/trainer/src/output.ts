/** A stream to write to: the process's, or any object with `write` (a test's, `main`'s caller's). */
export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Where a command talks: human lines go to stdout, or to stderr with --json (stdout then carries exactly one
 * JSON document, the command's result). Progress redraws one line on a TTY and prints plain lines otherwise.
 */
export class Output {
  readonly json: boolean;
  private readonly stream: Stream;
  private readonly stdout: Stream;
  private readonly tty: boolean;
  private live = false;

  /** `streams`: where to write (default: the process's; `main` passes its caller's). */
  constructor(json: boolean, streams: { stdout: Stream; stderr: Stream } = process) {
    this.json = json;
    this.stdout = streams.stdout;
    this.stream = json ? streams.stderr : streams.stdout;
    this.tty = !json && Boolean(this.stream.isTTY) && process.env.TERM !== 'dumb';
  }

  line(text = ''): void {
    this.endLive();
    this.stream.write(`${text}\n`);
  }

  /** A progress line: redrawn in place on a TTY; printed as a plain line otherwise. */
  progress(text: string): void {
    if (this.tty) {
      const width = this.stream.columns ?? 100;
      this.stream.write(`\r${text.slice(0, width - 1).padEnd(Math.min(width - 1, text.length))}\x1b[K`);
      this.live = true;
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  endLive(): void {
    if (this.live) {
      this.stream.write('\n');
      this.live = false;
    }
  }

  result(value: unknown): void {
    this.endLive();
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}

const clock = (seconds: number) => {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
};

/**
 * `[######------] 120/400 30% · 3.1 steps/s · ETA 1:30 · D 0.612 G 1.920`; in a phase without D (SRGAN's
 * pre-training) `… · G 0.074 (pretrain: G alone)`.
 */
export function progressLine(
  step: number,
  total: number,
  stepsPerSecond: number,
  dLoss: number,
  gLoss: number,
  phase?: string,
): string {
  const width = 24;
  const done = Math.min(width, Math.round((step / total) * width));
  const bar = `[${'#'.repeat(done)}${'-'.repeat(width - done)}]`;
  const eta = stepsPerSecond > 0 ? (total - step) / stepsPerSecond : Number.POSITIVE_INFINITY;
  return (
    `${bar} ${step}/${total} ${Math.floor((100 * step) / total)}% · ${stepsPerSecond.toFixed(2)} steps/s · ` +
    `ETA ${clock(eta)} · ${
      phase === 'pretrain' && Number.isNaN(dLoss)
        ? `G ${gLoss.toFixed(3)} (pretrain: G alone)`
        : `D ${dLoss.toFixed(3)} G ${gLoss.toFixed(3)}`
    }`
  );
}

export { clock };
