// Runs on disk, one folder each under <dataDir>/runs/<id>/:
//   run.json         the run's summary and history (rewritten on every status change, and with the checkpoint: each epoch, at most once a second — run-writer.ts)
//   checkpoint.bin   the TrainerState after the last completed epoch (resume / roll back from here)
//   final.bin        the TrainerState when the run ended (completed or stopped): the usable model
// (the .bin format: ./state-file.ts; which of the two describes a run now: ./run-weights.ts).
// All writes are atomic (./atomic-file.ts), so a crash loses at most the epoch in progress.
import type { Dirent } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { SplitOptionsSchema } from '../../shared/api/datasets';
import type { EpochPoint, RunSummary, StepPoint } from '../../shared/api/runs';
import { fileErrorText } from '../../shared/file-error';
import type { TrainerState } from '../../shared/training';
import { TEMP_NAME, writeFileAtomic, type AtomicWriteHooks } from './atomic-file';
import { isRunning, TOKEN } from './process-presence';
import type { Trainer } from './run-owner';
import { decodeState, encodeState, isMissing, readStateHeader, type StateHeader, UnreadableFile } from './state-file';

export interface RunRecord {
  version: 1;
  summary: RunSummary;
  steps: StepPoint[];
  epochs: EpochPoint[];
  /** The process training it, while it is queued, running or paused (absent once it has ended): another process
   *  (the app beside a CLI run, or the other way) does not continue or remove a run that one still trains
   *  (run-owner.ts). A pid alone in records written by earlier versions. */
  trainedBy?: Trainer;
}

export type StateKind = 'checkpoint' | 'final';

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Side = v.pipe(v.number(), v.integer(), v.minValue(1));

/** What a run records about its data (RunDataset): Continue looks for its fingerprint, split and test set, and
 *  the Draw view makes images of its width × height. Absent in records written before runs kept it, and `test`
 *  in those written before runs kept their test set. */
const DatasetShape = v.optional(
  v.object({
    fingerprint: v.string(),
    rows: Count,
    width: Side,
    height: Side,
    split: SplitOptionsSchema,
    test: v.optional(v.nullable(v.object({ fingerprint: v.string(), name: v.string(), rows: Count }))),
  }),
);

const Fraction = v.nullable(v.number());

/** What every view and the manager read of a run's progress (a record without it stopped the app from starting). */
const ProgressShape = v.object({
  step: Count,
  totalSteps: Count,
  epoch: v.number(),
  samplesPerSecond: v.number(),
  etaSeconds: v.nullable(v.number()),
  loss: v.nullable(v.number()),
});

/** A run's record as the app reads it: every field a view or the manager reads of its summary is checked, so a
 *  record that lacks one (hand-edited, or written by other software) is skipped with what is wrong, not read
 *  until something breaks (a missing `progress` stopped the app at start, a missing `name` blanked every list). */
const RecordShape = v.object({
  version: v.literal(1),
  summary: v.object({
    id: v.string(),
    name: v.string(),
    status: v.string(),
    config: v.record(v.string(), v.unknown()),
    datasetId: v.string(),
    datasetName: v.string(),
    dataset: DatasetShape,
    groupId: v.nullable(v.string()),
    colorIndex: Count,
    createdAt: v.number(),
    elapsedSeconds: v.number(),
    progress: ProgressShape,
    epochsDone: Count,
    bestDevAccuracy: Fraction,
    lastDevAccuracy: Fraction,
    lastTestAccuracy: Fraction,
    confusion: v.array(v.array(Count)),
    error: v.nullable(v.string()),
    checkpointEpoch: Count,
    notice: v.optional(v.nullable(v.string())),
    /** An imported model's images and class names (the Draw and Models views read them), and the data set it was
     *  measured on (the Evaluate view's matrix). */
    imported: v.optional(
      v.object({
        fileName: v.string(),
        width: Side,
        height: Side,
        labels: v.array(v.string()),
        evaluatedOn: v.optional(v.object({ fingerprint: v.string(), name: v.string(), rows: v.pipe(v.number(), v.integer(), v.minValue(0)) })),
      }),
    ),
  }),
  steps: v.array(v.unknown()),
  epochs: v.array(v.unknown()),
  trainedBy: v.optional(
    v.union([
      v.pipe(v.number(), v.integer()), // an earlier version's: a pid
      v.object({ token: v.pipe(v.string(), v.regex(TOKEN)), pid: v.pipe(v.number(), v.integer()), host: v.string(), role: v.string() }),
    ]),
  ),
});

/** What is wrong with a record, and where: "summary.dataset.test.rows: Invalid type: …". */
function recordIssue(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): string {
  const path = v.getDotPath(issues[0]);
  return path ? `${path}: ${issues[0].message}` : issues[0].message;
}

/** A run.json's text as a record; throws what is wrong with it: JSON's syntax error or the first schema issue. */
function recordFrom(text: string): RunRecord {
  const parsed: unknown = JSON.parse(text);
  const checked = v.safeParse(RecordShape, parsed);
  if (!checked.success) throw new Error(recordIssue(checked.issues));
  return parsed as RunRecord;
}

const StateShape = v.object({
  version: v.literal(1),
  layerSizes: v.array(v.number()),
  params: v.instance(Float32Array),
  steps: v.number(),
  epoch: v.number(),
});

export class RunStore {
  constructor(
    readonly folder: string,
    private readonly hooks: AtomicWriteHooks = {},
  ) {}

  private dir(id: string): string {
    return join(this.folder, id);
  }

  async saveRecord(record: RunRecord): Promise<void> {
    await writeFileAtomic(join(this.dir(record.summary.id), 'run.json'), JSON.stringify(record), this.hooks);
  }

  async saveState(id: string, kind: StateKind, state: TrainerState): Promise<void> {
    await writeFileAtomic(join(this.dir(id), `${kind}.bin`), encodeState(state), this.hooks);
  }

  /** The saved state, or null when there is none; throws with the file's path when it is unreadable. */
  async loadState(id: string, kind: StateKind): Promise<TrainerState | null> {
    const path = join(this.dir(id), `${kind}.bin`);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if (isMissing(error)) return null;
      throw new UnreadableFile(path, error);
    }
    let state: TrainerState;
    try {
      state = decodeState(bytes);
    } catch (error) {
      throw new Error(`${path} is not a valid checkpoint: ${(error as Error).message}`, { cause: error });
    }
    const checked = v.safeParse(StateShape, state);
    if (!checked.success) throw new Error(`${path} is not a valid checkpoint: ${checked.issues[0].message}`);
    return state;
  }

  /** The saved state's header alone (no arrays: the first bytes of the file), or null when there is none;
   *  throws as loadState does when the file is unreadable or damaged (a header without a step count too). */
  async loadStateHeader(id: string, kind: StateKind): Promise<StateHeader | null> {
    const path = join(this.dir(id), `${kind}.bin`);
    let header: StateHeader | null;
    try {
      header = await readStateHeader(path);
    } catch (error) {
      if (error instanceof UnreadableFile) throw error;
      throw new Error(`${path} is not a valid checkpoint: ${(error as Error).message}`, { cause: error });
    }
    const steps: unknown = header?.steps;
    if (header && (typeof steps !== 'number' || !(steps >= 0))) throw new Error(`${path} is not a valid checkpoint: its header has no step count`);
    return header;
  }

  /** Every run record on disk; unreadable ones are reported through `onBad` and skipped: a record that cannot be
   *  read or checked, a run folder whose record is gone (its weights left), the runs folder itself. Other files in
   *  the runs folder (a note, .DS_Store) are not runs. */
  async loadAll(onBad: (path: string, reason: string) => void): Promise<RunRecord[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.folder, { withFileTypes: true });
    } catch (error) {
      if (!isMissing(error)) onBad(this.folder, fileErrorText(error, this.folder, 'the runs folder') ?? (error as Error).message);
      return [];
    }
    const records: RunRecord[] = [];
    for (const entry of entries.filter((e) => e.isDirectory() || e.isSymbolicLink())) {
      const path = join(this.folder, entry.name, 'run.json');
      try {
        records.push(recordFrom(await readFile(path, 'utf8')));
      } catch (error) {
        if (!isMissing(error)) onBad(path, fileErrorText(error, path) ?? (error as Error).message);
        else if ((await readdir(join(this.folder, entry.name)).catch(() => [])).some((f) => f.endsWith('.bin'))) onBad(path, 'missing: the run\'s weights are there, its record is not');
      }
    }
    return records.sort((a, b) => a.summary.createdAt - b.summary.createdAt);
  }

  /** The ids of the run folders on disk (their records unread); none when the runs folder cannot be read. */
  async ids(): Promise<string[]> {
    const entries = await readdir(this.folder, { withFileTypes: true }).catch(() => [] as Dirent[]);
    return entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
  }

  /** One run's record, or null when there is no such run. */
  async loadRecord(id: string): Promise<RunRecord | null> {
    const path = join(this.dir(id), 'run.json');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return null;
    }
    try {
      return recordFrom(text);
    } catch (error) {
      // a torn or hand-edited file: JSON's own message ("Unexpected end of JSON input") named no file
      throw new Error(`${path} is not a valid run record: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Removes what interrupted writes left in the run's folder (a crash mid-save leaves `checkpoint.bin.tmp-<pid>-…`,
   *  hundreds of MB for a big network, kept for good): those of processes no longer running, so that a CLI run
   *  saving beside the app keeps its own. Answers how many it removed. */
  async removeLeftovers(id: string): Promise<number> {
    const names = await readdir(this.dir(id)).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const pid = TEMP_NAME.exec(name)?.[1];
      if (pid === undefined || isRunning(Number(pid))) continue;
      await rm(join(this.dir(id), name), { force: true });
      removed++;
    }
    return removed;
  }

  async remove(id: string): Promise<void> {
    await rm(this.dir(id), { recursive: true, force: true });
  }
}
