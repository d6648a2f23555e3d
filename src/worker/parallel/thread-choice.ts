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
// in full), and now and then a shorter window in the other mode (a probe); a probe faster by a margin
// switches the mode. While every thread takes part, a run probes once early on (a core may be busy from
// the start), and after that only when two windows running are more than `slowdown` × slower than the
// fastest one (another program took a core; one slow window is a hiccup). A slowdown the leader alone
// does not clearly beat becomes the new normal, so a quiet or steadily busy machine is not asked again
// and again. While the leader is alone, nothing shows when the core is free again, so it lets the
// others back in for a probe every few windows. The first steps of each window and probe are not
// counted: after a switch the shard needs a moment to join or to leave, and the lone leader to get a
// core to itself.

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
  /** Windows with every thread before the run's first probe (and between any two probes). */
  firstProbeAfter?: number;
  /** Windows with the leader alone between probes of every thread. */
  aloneProbeEvery?: number;
  /** A probe wins when its mean step time is below (1 − margin) × the current mode's: marginToAlone for
   *  the leader alone (default 0.2), marginToAll for every thread (default 0). Going alone asks for a
   *  clear gain (in a run's first epochs the second thread is still warming up, ~12% slower than the
   *  leader alone; beside a busy core, every thread is 30–50% slower); coming back asks for none, as a
   *  probe of every thread starts with a thread that slept. */
  marginToAlone?: number;
  marginToAll?: number;
  /** With every thread taking part: two windows running this many times the fastest one's mean lead to a probe. */
  slowdown?: number;
}

export class ThreadChoice {
  private readonly window: number;
  private readonly probeWindow: number;
  private readonly windowSeconds: number;
  private readonly probeSeconds: number;
  private readonly minSteps: number;
  private readonly settle: number;
  private readonly firstProbeAfter: number;
  private readonly aloneProbeEvery: number;
  private readonly marginToAlone: number;
  private readonly marginToAll: number;
  private readonly slowdown: number;

  /** The mode for the next step. */
  mode: ThreadMode = 'all';
  /** Switches so far (for tests and diagnostics). */
  switches = 0;

  /** The mode the run keeps between probes. */
  private home: ThreadMode = 'all';

  /** True while the leader keeps the steps to itself (it switched; its probes of every thread do not count). */
  get keepsLeaderAlone(): boolean {
    return this.home === 'leader';
  }
  /** The home mode's mean step time in its last two windows (seconds; NaN before one was timed): a probe
   *  is held against the faster (one slow window — the machine's hiccup — is no reason to switch). */
  private homeMean = NaN;
  private previousHomeMean = NaN;
  /** The fastest window's mean with every thread taking part (seconds). */
  private fastestAll = Infinity;
  private windowsSinceProbe = 0;
  private probed = false;
  /** Steps timed in the window being measured, their sum (seconds), and the steps of it skipped as settling. */
  private steps = 0;
  private sum = 0;
  private settled = 0;

  constructor(options: ThreadChoiceOptions = {}) {
    this.window = options.window ?? 256;
    this.probeWindow = options.probeWindow ?? 128;
    this.windowSeconds = options.windowSeconds ?? 0.1;
    this.probeSeconds = options.probeSeconds ?? 0.05;
    this.minSteps = options.minSteps ?? 16;
    this.settle = options.settle ?? 16;
    this.firstProbeAfter = options.firstProbeAfter ?? 2;
    this.aloneProbeEvery = options.aloneProbeEvery ?? 4;
    this.marginToAlone = options.marginToAlone ?? 0.2;
    this.marginToAll = options.marginToAll ?? 0;
    this.slowdown = options.slowdown ?? 1.3;
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
    this.previousHomeMean = this.homeMean;
    this.homeMean = mean;
    const since = ++this.windowsSinceProbe;
    const ask = this.home === 'leader'
      ? since >= this.aloneProbeEvery
      : since >= this.firstProbeAfter && (!this.probed || this.recentHomeMean() > this.slowdown * this.fastestAll);
    if (ask) this.mode = other(this.home);
  }

  /** The faster of the home mode's last two windows (the last alone after a switch). */
  private recentHomeMean(): number {
    return Number.isNaN(this.previousHomeMean) ? this.homeMean : Math.min(this.homeMean, this.previousHomeMean);
  }

  private endProbe(mean: number): void {
    this.windowsSinceProbe = 0;
    this.probed = true;
    const reference = this.recentHomeMean();
    if (mean < (1 - (this.mode === 'leader' ? this.marginToAlone : this.marginToAll)) * reference) {
      this.home = this.mode;
      this.homeMean = mean;
      this.previousHomeMean = NaN;
      this.switches++;
    } else {
      this.mode = this.home;
      // a slowdown that the leader alone does not beat is the new normal: only a further one asks again
      if (this.home === 'all') this.fastestAll = Math.max(this.fastestAll, reference);
    }
  }
}

const other = (mode: ThreadMode): ThreadMode => (mode === 'all' ? 'leader' : 'all');
