// The files `train` reads (FILE and --test) and, with --resume, the run they must match: a resumed run continues
// with its own settings, on the rows it trained on and measured on the test set it recorded (by content
// fingerprint, as the app continues a run: src/main/runs/run-dataset.ts).
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunDataset, RunSummary } from '../../shared/api/runs';
import type { DatasetData } from '../../shared/dataset';
import type { SkippedRows } from '../../shared/datasets';
import { testSetProblem, trainingSetProblem } from '../../shared/run-data-checks';
import type { TrainConfig, TrainerState } from '../../shared/training';
import { ParseError } from '../../main/datasets/errors';
import { readDataset } from '../../main/datasets/read';
import { loadSample } from '../../main/datasets/sample';
import { checkSameData, describeFile, missingTestSetNotice, type RunTestSet } from '../../main/runs/run-dataset';
import { PresenceCheck, processesFolder } from '../../main/runs/process-presence';
import { otherProcess, trainedElsewhere } from '../../main/runs/run-owner';
import { RunStore } from '../../main/runs/store';
import { type ParsedArgs, UsageError } from '../args';
import { fileDataset } from './train-runner';
import { fileErrorText } from '../../shared/file-error';

/** A file the command cannot use: exit code 2 with this message. */
export class InputError extends Error {}

/** A data file as `train` read it: its rows and the name it is shown (and recorded) by. */
export interface InputFile {
  data: DatasetData;
  name: string;
  /** The rows --skip-bad-rows left out (null: none). */
  skipped: SkippedRows | null;
  /** The built-in MNIST sample (FILE left out): its classes are the digits their numbers name. */
  builtIn?: true;
}

/** Reads FILE or --test (`role`: 'training', 'test', 'data'); the built-in sample when `path` is null. Problems are
 *  named by the path as given (`data/bad.csv:3:4 …`, as a compiler names a file). A file without labels is refused
 *  unless `labelsOptional` (predict reads one). */
export async function loadInput(path: string | null, role: string, skipBadRows = false, labelsOptional = false): Promise<InputFile> {
  if (path === null) {
    try {
      return { data: await loadSample(), name: 'the built-in MNIST sample', skipped: null, builtIn: true };
    } catch (error) {
      throw new InputError(`no FILE given and ${(error as Error).message}`);
    }
  }
  try {
    const { data, format, skipped } = await readDataset([{ path, name: path }], { skipBadRows });
    if (!data.labels && !labelsOptional) {
      // An IDX images file's labels are the file beside it by the standard name (read.ts findIdxPartner), not a column.
      const needs = format === 'idx'
        ? 'an IDX labels file beside it, named as the images file with images → labels and idx3 → idx1 (train-labels-idx1-ubyte.gz for train-images-idx3-ubyte.gz)'
        : 'a label column';
      throw new InputError(`${path} has no labels: the ${role} file needs ${needs}`);
    }
    return { data, name: basename(path), skipped: skipped.count > 0 ? skipped : null };
  } catch (error) {
    if (error instanceof InputError) throw error;
    const text = fileErrorText(error, path, `${role} file`);
    if (text) throw new InputError(text);
    if (error instanceof ParseError && error.problems.length > 0) throw new InputError(`${role} file ${parseErrorText(error)}`);
    throw new InputError(`cannot read ${role} file ${path}: ${(error as Error).message}`);
  }
}

/** A ParseError in one line: its first problem (which names the file, line and column), how many more, and,
 *  when the problems are bad rows, the option that leaves them out. (It read "cannot read training file
 *  data/bad.csv: bad.csv:3:4: …", naming the file twice.) */
export function parseErrorText(error: ParseError): string {
  const more = error.problems.length - 1;
  const count = more > 0 ? ` (and ${error.truncated ? 'more than ' : ''}${more} more problem${more === 1 && !error.truncated ? '' : 's'})` : '';
  const lead = error.lead ? `; ${error.lead}` : ''; // "every row of x.csv has a problem (…), so leaving them out leaves nothing"
  return `${error.problems[0].message}${count}${lead}${error.skippable ? '; --skip-bad-rows leaves out the rows with problems' : ''}`;
}

/** The note for rows --skip-bad-rows left out of `file` (null: none were). */
export function skippedNotice(file: InputFile): string | null {
  const { skipped } = file;
  if (!skipped) return null;
  const shown = skipped.lines.slice(0, 10).join(', ');
  const first = skipped.problems[0]?.message;
  return `left out ${skipped.count.toLocaleString('en-US')} bad row${skipped.count === 1 ? '' : 's'} of ${file.name} (line${skipped.count === 1 ? '' : 's'} ${shown}${skipped.count > 10 ? ', …' : ''})${first ? `; the first: ${first}` : ''}`;
}

/** FILE has rows to train on after --dev, and --test (when given) has its images' size and no class FILE lacks;
 *  the messages name both files. */
export function checkFits(config: TrainConfig, trainFile: InputFile, testFile: InputFile | null): void {
  // Else the run started, was recorded as failed, and the worker's 'Expected 2 to 256 classes, got 1' ended it (exit 1).
  const problem = trainingSetProblem(trainFile) ?? (testFile && testSetProblem(trainFile, testFile));
  if (problem) throw new InputError(problem);
  if (config.devRows >= trainFile.data.rows) {
    throw new InputError(`--dev ${config.devRows} leaves no rows to train on: ${trainFile.name} has ${trainFile.data.rows} rows`);
  }
}

/** Before the work: `out` names a file (not a folder) in a folder that exists (else it failed at the end, after
 *  the whole run), and none of the files the command reads (`inputs`, as given: written over, the data or the model
 *  was lost). `what`: 'model file', 'predictions file'. */
export async function checkOutFile(out: string, what: string, inputs: readonly (string | null | undefined)[]): Promise<void> {
  const outStat = await stat(out).catch(() => null);
  if (outStat?.isDirectory()) throw new InputError(`cannot write ${what} ${out}: it is a folder, not a file`);
  const folder = dirname(resolve(out));
  if (!(await stat(folder).catch(() => null))?.isDirectory()) throw new InputError(`cannot write ${what} ${out}: there is no folder ${folder}`);
  if (!outStat) return;
  for (const input of inputs) {
    const inputStat = input ? await stat(input).catch(() => null) : null;
    // The same file by device and inode: also through another spelling of its path, or a link.
    if (inputStat && inputStat.dev === outStat.dev && inputStat.ino === outStat.ino) {
      throw new InputError(`--out ${out} is ${input}, which this command reads: writing the ${what} there would replace it; give another name`);
    }
  }
}

/** Options that shape a new run; with --resume the run's own settings are used instead. */
const CONFIG_OPTIONS = ['preset', 'hidden', 'activation', 'loss', 'optimizer', 'lr', 'beta1', 'beta2', 'eps', 'batch', 'epochs', 'iterations', 'dev', 'seed'];

/** The record of the run --resume names. */
export async function resumedRun(args: ParsedArgs, dataDir: string, runId: string): Promise<RunSummary> {
  const clash = CONFIG_OPTIONS.filter((name) => args.options.has(name));
  if (clash.length) throw new UsageError(`--resume continues a run with its own settings; drop --${clash.join(', --')}`);
  const record = await new RunStore(join(dataDir, 'runs')).loadRecord(runId).catch((error: unknown) => {
    throw new Error(`cannot read run '${runId}': ${(error as Error).message}`); // the message names the record's file
  });
  if (!record) throw new UsageError(`no run '${runId}' in ${join(dataDir, 'runs')}`);
  // Said before FILE is read and the run announced (the run manager refuses it only then: exit code 1).
  const { status, name } = record.summary;
  const elsewhere = await trainedElsewhere(record, new PresenceCheck(processesFolder(dataDir)));
  if (elsewhere !== null) throw new InputError(`run '${name}' is being trained by ${otherProcess(elsewhere)}: it cannot continue until that one has stopped it`);
  if (status === 'completed' || status === 'failed') {
    throw new UsageError(`run '${name}' ${status === 'failed' ? 'failed' : 'is completed'}, so there is nothing to continue (only a stopped, interrupted or diverged run continues); start a new run`);
  }
  return record.summary;
}

/** What a resumed run continues on: what it records about FILE and --test, and the test set it recorded that --test
 *  did not give (it continues without it: `missingTest`, for its notice), or null. */
export interface ResumedData {
  dataset: RunDataset | undefined;
  missingTest: RunTestSet | null;
}

/**
 * A resumed run continues only on the rows it trained on: FILE must hold the same data (by fingerprint), and
 * --test, when given, the test set the run recorded (a run recorded without one takes none; a run recorded
 * before runs kept their test set takes any, and records it). Without --test a run that recorded a test set
 * continues without it (`missingTest`). Throws an InputError naming both files when they differ.
 */
export async function checkResumedData(run: RunSummary, train: InputFile, test: InputFile | null, devRows: number): Promise<ResumedData> {
  if (!run.dataset) return { dataset: undefined, missingTest: null }; // recorded before runs kept their data's fingerprint
  const given = await fileDataset(train.data, devRows, test);
  try {
    checkSameData(run, given, train.name);
  } catch (error) {
    throw new InputError(`${(error as Error).message}; give the same FILE`);
  }
  const recorded = run.dataset.test;
  if (recorded === undefined) return { dataset: given, missingTest: null };
  if (!given.test) return { dataset: given, missingTest: recorded };
  if (recorded === null) throw new InputError(`run '${run.name}' was trained without a test set, so it continues without one; drop --test`);
  if (given.test.fingerprint !== recorded.fingerprint) {
    throw new InputError(`run '${run.name}' was tested on ${describeFile(recorded)}; ${describeFile(given.test)} is other data, so the run cannot continue on it; give the same --test FILE`);
  }
  return { dataset: given, missingTest: null };
}

/** The notice of a run continued without its recorded test set (`state`: where it continues from, null = the start). */
export function missingTestNotice(run: RunSummary, test: RunTestSet, state: TrainerState | null): string {
  return missingTestSetNotice(run, test, state, 'was not given when the run continued (to measure it again, continue the run with --test naming that file)');
}
