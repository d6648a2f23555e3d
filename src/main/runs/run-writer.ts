// Saves one run to disk, newest first. Writes are fsynced and can be slower than epochs (tens of ms each
// on some disks), so a run has one writer that saves the newest pending state of each kind and then the
// record, skipping states a newer one already replaced: the queue never grows, and remove or quit wait
// for one write at most.
import type { RunRecord, RunStore } from './store';
import type { TrainerState } from '../../shared/training';

export interface PendingStates {
  checkpoint?: TrainerState;
  final?: TrainerState;
}

export class RunWriter {
  private pending: PendingStates & { record: boolean } = { record: false };
  private writing = false;
  /** Resolves when every write asked for so far is done. */
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
    if (this.writing) return;
    this.writing = true;
    this.idle = this.drain();
  }

  private async drain(): Promise<void> {
    while (this.pending.record) {
      const { checkpoint, final } = this.pending;
      this.pending = { record: false };
      try {
        if (checkpoint) await this.store.saveState(this.id, 'checkpoint', checkpoint);
        if (final) await this.store.saveState(this.id, 'final', final);
        await this.store.saveRecord(this.record());
      } catch (error) {
        this.log(`saving run ${this.id} failed: ${String(error)}`);
      }
    }
    this.writing = false;
  }
}
