// Saves one run to disk, newest first. Writes are fsynced and can be slower than epochs (tens of ms each
// on some disks), so a run has one writer that saves the newest pending state of each kind and then the
// record, skipping states a newer one already replaced: the queue never grows, and remove or quit wait
// for one write at most. While a run trains its writer is busy for good (epochs faster than its saves), so
// the answers that need its newest checkpoint on disk wait for that one (checkpointSaved), never for idle.
//
// The record (run.json) holds the whole history, and a full-batch run has a point per epoch: at 100,000
// epochs it is 18 MB, and JSON.stringify alone blocks the main process for ~0.8 s. So the checkpoints of
// epochs shorter than that are saved at a pace (Pacing): a turn at most every second, and at most a fifth of
// the time — the newest checkpoint and the record still go together, as every turn writes them, so what is
// on disk stays as consistent as before (checkpoint first; a record a little newer is cut back to the
// checkpoint when the run continues), and a crash loses the epochs of one gap at most. Everything else (a
// new run, a change of status, the final weights) and an answer waiting for the checkpoint go at once.
import type { RunRecord, RunStore } from './store';
import type { TrainerState } from '../../shared/training';

export interface PendingStates {
  checkpoint?: TrainerState;
  final?: TrainerState;
}

/** What one save asks for: an epoch's checkpoint, the final weights of a run that ended, or neither (the record
 *  alone). Never both at once: a save with a checkpoint is the only one that waits for the pace. */
export type SaveStates = { checkpoint: TrainerState; final?: never } | { final: TrainerState; checkpoint?: never } | { checkpoint?: never; final?: never };

/** How often a writer saves the checkpoints of a training run: its next turn begins `minGapMs` after its last
 *  began, or `timesWrite` × that turn's length if longer. */
export interface Pacing {
  minGapMs: number;
  timesWrite: number;
  /** The clock, in ms. */
  now: () => number;
}

export const PACING: Pacing = { minGapMs: 1000, timesWrite: 5, now: () => performance.now() };

export class RunWriter {
  /** What the next turn writes; `urgent`: a save that does not wait for the pace (anything but a checkpoint). */
  private pending: PendingStates & { record: boolean; urgent: boolean } = { record: false, urgent: false };
  private writing = false;
  /** Saves asked for so far, and how many of them have had their turn (written, or their write failed). */
  private asked = 0;
  private done = 0;
  /** The number of the newest save that held a checkpoint. */
  private checkpointAsked = 0;
  private waiting: Array<{ upTo: number; resolve: () => void }> = [];
  /** When the next checkpoint's turn may begin (by the pace), and the wake-up of a turn waiting for it. */
  private nextTurnAt = -Infinity;
  private wake: (() => void) | null = null;
  /** Resolves when every write asked for so far is done (and those asked for meanwhile: never while saves keep coming). */
  idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly id: string,
    private readonly store: RunStore,
    /** The record as it is when its turn comes (the newest summary and history). */
    private readonly record: () => RunRecord,
    private readonly log: (line: string) => void,
    private readonly pacing: Pacing = PACING,
    /** Told how each turn went: the error that kept it off the disk, or null once a turn is saved. */
    private readonly onSaved: (error: Error | null) => void = () => {},
  ) {}

  /** Saves this state (if any), then the record: at once, or at the pace (Pacing) for a checkpoint. */
  save(states: SaveStates = {}): void {
    const urgent = this.pending.urgent || !states.checkpoint;
    Object.assign(this.pending, states, { record: true, urgent });
    this.asked++;
    if (states.checkpoint) this.checkpointAsked = this.asked;
    if (urgent) this.hurry();
    if (this.writing) return;
    this.writing = true;
    this.idle = this.drain();
  }

  /** Resolves once the newest checkpoint asked for so far is on disk (or its write failed, which is logged) —
   *  the one the run's summary names — whatever is asked for after it; at once when none was asked for. */
  checkpointSaved(): Promise<void> {
    const upTo = this.checkpointAsked;
    if (this.done >= upTo) return Promise.resolve();
    this.hurry(); // an answer waits for it: no pace
    return new Promise((resolve) => this.waiting.push({ upTo, resolve }));
  }

  /** A turn waiting for the pace begins now. */
  private hurry(): void {
    this.wake?.();
  }

  /** How long the next turn waits for the pace: 0 when it is urgent, an answer waits for it, or its time has come. */
  private paceWait(): number {
    if (this.pending.urgent || this.waiting.length > 0) return 0;
    return Math.max(0, this.nextTurnAt - this.pacing.now());
  }

  /** Waits `ms`, or until hurried. */
  private paced(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.record) {
      // (no await when there is no wait: the turn takes what is pending now, as a save in the same tick asks)
      const wait = this.paceWait();
      if (wait > 0) await this.paced(wait);
      const { checkpoint, final } = this.pending;
      this.pending = { record: false, urgent: false };
      const upTo = this.asked; // this turn writes what every save so far asked for
      const began = this.pacing.now();
      try {
        if (checkpoint) await this.store.saveState(this.id, 'checkpoint', checkpoint);
        if (final) await this.store.saveState(this.id, 'final', final);
        await this.store.saveRecord(this.record());
        this.onSaved(null);
      } catch (error) {
        this.log(`saving run ${this.id} failed: ${String(error)}`);
        this.onSaved(error instanceof Error ? error : new Error(String(error)));
      }
      const { minGapMs, timesWrite, now } = this.pacing;
      this.nextTurnAt = began + Math.max(minGapMs, timesWrite * (now() - began));
      this.done = upTo;
      const ready = this.waiting.filter((w) => w.upTo <= upTo);
      this.waiting = this.waiting.filter((w) => w.upTo > upTo);
      for (const w of ready) w.resolve();
    }
    this.writing = false;
  }
}
