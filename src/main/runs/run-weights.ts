// Which saved weights describe a run now — the one rule behind Continue, the Evaluate and Draw answers and
// RunManager.weights. A run has up to two saved states (store.ts): checkpoint.bin, rewritten after every
// complete epoch, and final.bin, written when the run completed or was stopped. final.bin is not removed when
// a stopped run continues, so while the run trains again (and after it diverges, fails or is interrupted) the
// final.bin on disk is from the earlier stop: the run has moved on from it, and its checkpoint is what it
// stands on (and what a diverged run was rolled back to).
import { endsWithFinal, type RunStatus } from '../../shared/api/runs';
import type { TrainerState } from '../../shared/training';
import type { RunStore, StateKind } from './store';

/** The step counts of a run's saved states (TrainerState.steps); null = no such file. */
export interface SavedSteps {
  checkpoint: number | null;
  final: number | null;
}

/**
 * The saved state that describes a run now, or null when it has none yet:
 * - completed or stopped: final.bin, unless the checkpoint is newer (more steps: the final write of its last
 *   stop failed after a continued run checkpointed past it) or there is no final.bin; then the checkpoint;
 * - queued, running, paused, interrupted, diverged, failed: the checkpoint (any final.bin is from an earlier
 *   stop, before the run continued).
 */
export function currentWeights(status: RunStatus, saved: SavedSteps): StateKind | null {
  const { checkpoint, final } = saved;
  if (endsWithFinal(status) && final !== null && (checkpoint === null || final >= checkpoint)) return 'final';
  return checkpoint === null ? null : 'checkpoint';
}

/** The step count of a run's saved state, read from its file's header alone; null when there is no such file.
 *  Throws as RunStore.loadState does ("<path> is not a valid checkpoint: …") when the file is damaged. */
export async function savedSteps(store: RunStore, id: string, kind: StateKind): Promise<number | null> {
  return (await store.loadStateHeader(id, kind))?.steps ?? null;
}

/**
 * Reads the run's current weights (currentWeights) from the store; null when it has none yet. For a run that
 * may have both states, their steps come from the files' headers, and only the chosen file is read whole.
 */
export async function loadCurrentWeights(store: RunStore, id: string, status: RunStatus): Promise<TrainerState | null> {
  if (!endsWithFinal(status)) return store.loadState(id, 'checkpoint');
  const final = await savedSteps(store, id, 'final');
  let checkpoint: number | null;
  try {
    checkpoint = await savedSteps(store, id, 'checkpoint');
  } catch (error) {
    // A damaged checkpoint beside a sound final.bin: the weights it ended with are there (Draw, export and
    // predictions failed on the checkpoint, which was read only to see whether it was newer).
    if (final !== null) return store.loadState(id, 'final');
    throw error;
  }
  const kind = currentWeights(status, { checkpoint, final });
  return kind ? store.loadState(id, kind) : null;
}
