// What `train` prints: the progress bar (terminals only), the per-epoch lines, the final summary, and
// the --json objects (one per line).
import type { EpochMessage, StepMessage, TrainResult } from '../../shared/training';
import type { CliIO } from '../command';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const rate = (x: number) => Math.round(x).toLocaleString('en-US');

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatEpoch(m: EpochMessage, totalEpochs: number): string {
  const parts = [`epoch ${m.epoch}/${totalEpochs}${m.complete ? '' : ' (partial)'}`, `train loss ${m.trainLoss.toFixed(4)}`];
  if (m.devLoss !== null && m.devAccuracy !== null) parts.push(`dev loss ${m.devLoss.toFixed(4)}`, `dev acc ${pct(m.devAccuracy)}`);
  if (m.testAccuracy !== null) parts.push(`test acc ${pct(m.testAccuracy)}`);
  parts.push(`${rate(m.samplesPerSecond)} samples/s`, formatSeconds(m.seconds));
  if (m.stepsOnOneThread) parts.push(`(${count(m.stepsOnOneThread, 'step')} on one thread)`);
  return parts.join('  ');
}

/** How far a run got: "3 epochs (2766 steps)", or, when it ended inside an epoch (a stop, --iterations),
 *  "719 steps (5 epochs and 79 steps of epoch 6)" — the partial epoch's line was printed just before. */
export function formatProgress(r: Pick<TrainResult, 'epoch' | 'steps'>, stepsPerEpoch: number): string {
  const inEpoch = r.steps - r.epoch * stepsPerEpoch;
  if (inEpoch <= 0) return `${count(r.epoch, 'epoch')} (${count(r.steps, 'step')})`;
  return `${count(r.steps, 'step')} (${r.epoch === 0 ? '' : `${count(r.epoch, 'epoch')} and `}${count(inEpoch, 'step')} of epoch ${r.epoch + 1})`;
}

/** classNames: shown after each row of the confusion matrix when they are more than its numbers (e.g. Fashion-MNIST's). */
export function formatDone(r: TrainResult, stepsPerEpoch: number, classNames: readonly string[] = []): string {
  const what = r.outcome === 'completed' ? 'done' : r.outcome === 'stopped' ? 'stopped' : 'diverged';
  const parts = [`${what} after ${formatProgress(r, stepsPerEpoch)} in ${formatSeconds(r.seconds)}`];
  if (r.dev) parts.push(`dev accuracy ${pct(r.dev.accuracy)}`);
  if (r.test) parts.push(`test accuracy ${pct(r.test.accuracy)}`);
  const lines = [parts.join(' — ')];
  const metrics = r.test ?? r.dev;
  if (metrics && metrics.confusion.length <= 20) {
    lines.push(`confusion (${r.test ? 'test' : 'dev'}; rows = true class, columns = predicted; then the share of the class predicted right):`);
    const width = Math.max(3, ...metrics.confusion.flat().map((n) => String(n).length));
    metrics.confusion.forEach((row, k) => {
      const total = row.reduce((a, b) => a + b, 0);
      const right = total === 0 ? '   –' : `${Math.round((100 * row[k]) / total)}%`.padStart(4);
      const name = classNames[k] !== undefined && classNames[k] !== String(k) ? `  ${classNames[k]}` : '';
      lines.push(`${String(k).padStart(3)} |${row.map((n) => String(n).padStart(width + 1)).join('')}  ${right}${name}`);
    });
  }
  return lines.join('\n');
}

/** The --json line of an epoch: exactly these fields (stepsOnOneThread: runs on several threads only). */
export function jsonEpoch(m: EpochMessage) {
  return {
    type: 'epoch' as const,
    epoch: m.epoch,
    trainLoss: m.trainLoss,
    devLoss: m.devLoss,
    devAccuracy: m.devAccuracy,
    testAccuracy: m.testAccuracy,
    seconds: m.seconds,
    samplesPerSecond: m.samplesPerSecond,
    ...(m.stepsOnOneThread === undefined ? {} : { stepsOnOneThread: m.stepsOnOneThread }),
  };
}

/** The last --json line; confusion is the test set's when there is one, else the dev set's. */
export function jsonDone(r: TrainResult) {
  return {
    type: 'done' as const,
    outcome: r.outcome,
    error: r.error,
    devAccuracy: r.dev ? r.dev.accuracy : null,
    testAccuracy: r.test ? r.test.accuracy : null,
    confusion: (r.test ?? r.dev)?.confusion ?? [],
    seconds: r.seconds,
  };
}

/** One line redrawn in place: `epoch 2/5 [########------]  57%  loss 0.3121  ETA 12 s`. */
export class ProgressBar {
  private shown = false;
  constructor(
    private readonly io: CliIO,
    private readonly totalEpochs: number,
  ) {}

  update(m: StepMessage): void {
    // The step that ends epoch 1 reports 1.0: that is epoch 1 at 100%, not epoch 2 at 0%.
    const epoch = Math.min(Math.max(1, Math.ceil(m.epoch)), this.totalEpochs);
    const within = Math.min(1, Math.max(0, m.epoch - (epoch - 1)));
    const width = 30;
    const filled = Math.round(within * width);
    const eta = m.etaSeconds === null ? '' : `  ETA ${formatSeconds(m.etaSeconds)}`;
    this.io.stdout(`\r\x1b[K epoch ${epoch}/${this.totalEpochs} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(within * 100)).padStart(3)}%  loss ${m.loss.toFixed(4)}${eta}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.io.stdout('\r\x1b[K');
    this.shown = false;
  }
}
