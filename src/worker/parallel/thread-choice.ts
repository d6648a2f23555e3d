// Whether a data-parallel run's shards should take part in its steps, or the leader should take every
// item alone — chosen from the steps' own times, window by window.
//
// Why: the threads of a step wait for each other's items. When another program keeps one core busy,
// the thread that shares that core (at the training threads' lower priority, thread-priority.ts) runs a
// fraction of the time, and a step waits for the item it holds. Measured on a 2-vCPU machine with one
// busy-loop process beside a 5-epoch Fashion-MNIST run: 0.75–3.6 s an epoch on 2 threads, against
// 0.44–0.50 s on 1 thread. The leader alone is then faster, and the other core serves the busy program.
// Which thread does which item never changes the result (see ./channel.ts), so switching is free of
// numerical consequences; the shard just skips the steps it is told to.
//
// The policy: time windows of steps (the mean step, so a step stuck behind a descheduled thread counts
// in full; a probe is a shorter window). A run makes one probe with the leader alone early on (a core may be busy from the start);
// after that, while every thread takes part, only a window more than `slowdown` × slower than the fastest
// such window so far (another program took a core) leads to a probe. While the leader is alone, nothing
// shows when the core is free again, so every few windows a probe lets the shards back in. A probe that
// is faster by `margin` switches the mode; one that is not makes the next probe wait twice as long (up
// to a bound). On a quiet machine the windows stay near the fastest: one probe a run. The first steps of each window are not counted: after a switch the shard needs a
// moment to join or to leave.

/** Who takes a step's items: every thread ('all') or the leader alone ('leader'). */
export type ThreadMode = 'all' | 'leader';

export interface ThreadChoiceOptions {
  /** Steps timed per window in the mode the run keeps, and per probe of the other mode (each after
   *  `settle` steps not counted) — or fewer, at least minSteps, once they add up to windowSeconds and
   *  probeSeconds (slow steps: a busy machine is answered within a fraction of a second). */
  window?: number;
  probeWindow?: number;
  windowSeconds?: number;
  probeSeconds?: number;
  minSteps?: number;
  settle?: number;
  /** Windows in the current mode before the first probe of the other, and the most between probes. */
  minWindowsBetweenProbes?: number;
  maxWindowsBetweenProbes?: number;
  /** A probe wins when its mean step time is below (1 − margin) × the current mode's. */
  margin?: number;
  /** With every thread taking part: a window this many times the fastest one's mean leads to a probe. */
  slowdown?: number;
}

export class ThreadChoice {
  private readonly window: number;
  private readonly probeWindow: number;
  private readonly windowSeconds: number;
  private readonly probeSeconds: number;
  private readonly minSteps: number;
  private readonly settle: number;
  private readonly minBetween: number;
  private readonly maxBetween: number;
  private readonly margin: number;
  private readonly slowdown: number;

  /** The mode for the next step. */
  mode: ThreadMode = 'all';
  /** Switches so far (for tests and diagnostics). */
  switches = 0;

  /** The mode the run keeps between probes. */
  private home: ThreadMode = 'all';
  /** The home mode's mean step time in its last window (seconds; NaN before one was timed). */
  private homeMean = NaN;
  /** The fastest window's mean with every thread taking part (seconds). */
  private fastestAll = Infinity;
  private windowsBetweenProbes: number;
  private windowsSinceProbe = 0;
  private probes = 0;
  /** Steps timed in the window being measured, their sum (seconds), and the steps of it skipped as settling. */
  private steps = 0;
  private sum = 0;
  private settled = 0;

  constructor(options: ThreadChoiceOptions = {}) {
    this.window = options.window ?? 256;
    this.probeWindow = options.probeWindow ?? 64;
    this.windowSeconds = options.windowSeconds ?? 0.1;
    this.probeSeconds = options.probeSeconds ?? 0.025;
    this.minSteps = options.minSteps ?? 16;
    this.settle = options.settle ?? 8;
    this.minBetween = options.minWindowsBetweenProbes ?? 2;
    this.maxBetween = options.maxWindowsBetweenProbes ?? 64;
    this.margin = options.margin ?? 0.1;
    this.slowdown = options.slowdown ?? 1.3;
    this.windowsBetweenProbes = this.minBetween;
  }

  /** Records the time (seconds) of a step taken in the current mode; may change the mode of the next. */
  record(seconds: number): void {
    if (this.settled < this.settle) {
      this.settled++;
      return;
    }
    this.steps++;
    this.sum += seconds;
    const probing = this.mode !== this.home;
    const full = this.steps >= (probing ? this.probeWindow : this.window);
    const long = this.steps >= this.minSteps && this.sum >= (probing ? this.probeSeconds : this.windowSeconds);
    if (!full && !long) return;
    const mean = this.sum / this.steps;
    this.steps = 0;
    this.sum = 0;
    this.settled = 0;
    if (this.mode === 'all') this.fastestAll = Math.min(this.fastestAll, mean);
    if (this.mode === this.home) this.endHomeWindow(mean);
    else this.endProbe(mean);
  }

  private endHomeWindow(mean: number): void {
    this.homeMean = mean;
    const due = ++this.windowsSinceProbe >= this.windowsBetweenProbes;
    const ask = this.home === 'leader' || this.probes === 0 || mean > this.slowdown * this.fastestAll;
    if (due && ask) this.mode = other(this.home);
  }

  private endProbe(mean: number): void {
    this.windowsSinceProbe = 0;
    this.probes++;
    if (mean < (1 - this.margin) * this.homeMean) {
      this.home = this.mode;
      this.homeMean = mean;
      this.windowsBetweenProbes = this.minBetween;
      this.switches++;
    } else {
      this.mode = this.home;
      this.windowsBetweenProbes = Math.min(this.maxBetween, 2 * this.windowsBetweenProbes);
    }
  }
}

const other = (mode: ThreadMode): ThreadMode => (mode === 'all' ? 'leader' : 'all');
