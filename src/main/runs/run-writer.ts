// Saves one run to disk, newest first. Writes are fsynced and can be slower than epochs (tens of ms each
// on some disks), so a run has one writer that saves the newest pending state of each kind and then the
// record, skipping states a newer one already replaced: the queue never grows, and remove or quit wait
// for one write at most. While a run trains its writer is busy for good (epochs faster than its saves), so
// the answers that need its newest checkpoint on disk wait for that one (checkpointSaved), never for idle.
import type { RunRecord, RunStore } from './store';
import type { TrainerState } from '../../shared/training';

export interface PendingStates {
  checkpoint?: TrainerState;
  final?: TrainerState;
}

export class RunWriter {
  private pending: PendingStates & { record: boolean } = { record: false };
  private writing = false;
  /** Saves asked for so far, and how many of them have had their turn (written, or their write failed). */
  private asked = 0;
  private done = 0;
  /** The number of the newest save that held a checkpoint. */
  private checkpointAsked = 0;
  private waiting: Array<{ upTo: number; resolve: () => void }> = [];
  /** Resolves when every write asked for so far is done (and those asked for meanwhile: never while saves keep coming). */
  idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly id: string,
    private readonly store: RunStore,
    /** The record as it is when its turn comes (the newest summary and history). */
    private readonly record: () => RunRecord,
    private readonly log: (line: string) => void,
  ) {}

  /** Saves these states (if any), then the record. */
  save(states: PendingStates = {}): void {
    Object.assign(this.pending, states, { record: true });
    this.asked++;
    if (states.checkpoint) this.checkpointAsked = this.asked;
    if (this.writing) return;
    this.writing = true;
    this.idle = this.drain();
  }

  /** Resolves once the newest checkpoint asked for so far is on disk (or its write failed, which is logged) —
   *  the one the run's summary names — whatever is asked for after it; at once when none was asked for. */
  checkpointSaved(): Promise<void> {
    const upTo = this.checkpointAsked;
    if (this.done >= upTo) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ upTo, resolve }));
  }

  private async drain(): Promise<void> {
    while (this.pending.record) {
      const { checkpoint, final } = this.pending;
      this.pending = { record: false };
      const upTo = this.asked; // this turn writes what every save so far asked for
      try {
        if (checkpoint) await this.store.saveState(this.id, 'checkpoint', checkpoint);
        if (final) await this.store.saveState(this.id, 'final', final);
        await this.store.saveRecord(this.record());
      } catch (error) {
        this.log(`saving run ${this.id} failed: ${String(error)}`);
      }
      this.done = upTo;
      const ready = this.waiting.filter((w) => w.upTo <= upTo);
      this.waiting = this.waiting.filter((w) => w.upTo > upTo);
      for (const w of ready) w.resolve();
    }
    this.writing = false;
  }
}
