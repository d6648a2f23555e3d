// datasets.*: open MNIST-style files (CSV, IDX, .gz) or the built-in sample, follow and cancel the load, read
// the summary, pages of thumbnails and any examples, set the split and the class names. Parse failures and
// cancellation are returned as values (OpenResult), never thrown, so every transport carries them intact.
import * as v from 'valibot';
import { method, returns } from './contract';
import { FileRefSchema } from './files';
import type { DatasetSummary, ExamplePage, LoadProgress, OpenResult, RecentDataset, SplitSummary } from '../datasets';

const DatasetId = v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,64}$/, 'a data set id'));
const JobId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'a job id (letters, digits, - and _)'));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** A data set's content fingerprint (src/main/datasets/fingerprint.ts: 32 hex digits). */
const Fingerprint = v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/, 'a data fingerprint'));
const TestId = v.optional(v.nullable(DatasetId));

export const OpenOptionsSchema = v.object({
  /** Leave out rows with problems (reported exactly: how many and which lines) instead of failing. */
  skipBadRows: v.optional(v.boolean()),
  /** Chosen by the caller so it can cancel before the first progress event. */
  jobId: v.optional(JobId),
});
export type OpenOptions = v.InferOutput<typeof OpenOptionsSchema>;

export const SplitOptionsSchema = v.variant('kind', [
  v.object({ kind: v.literal('first'), devRows: Count, testId: TestId }),
  v.object({
    kind: v.literal('random'),
    devFraction: v.pipe(v.number(), v.minValue(0), v.maxValue(0.99)),
    seed: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff)),
    stratified: v.boolean(),
    testId: TestId,
  }),
]);

export const ThumbnailQuerySchema = v.object({
  start: Count,
  count: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2000)),
  classFilter: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255))),
  subset: v.picklist(['all', 'train', 'dev']),
});

export const datasetsMethods = {
  /** Opens one file (CSV, .csv.gz, IDX, .gz) or an IDX images + labels pair. */
  open: method(v.tuple([v.union([FileRefSchema, v.pipe(v.array(FileRefSchema), v.minLength(1), v.maxLength(2))]), v.optional(OpenOptionsSchema)]), returns<OpenResult>()),
  /** Opens the 10,000 built-in MNIST digits (offline). */
  openSample: method(v.tuple([v.optional(OpenOptionsSchema)]), returns<OpenResult>()),
  /** Cancels a load by job id, or every load when null. True if something was cancelled. */
  cancel: method(v.tuple([v.nullable(JobId)]), returns<boolean>()),
  /** Every loaded data set, oldest first. */
  list: method(v.tuple([]), returns<DatasetSummary[]>()),
  summary: method(v.tuple([DatasetId]), returns<DatasetSummary>()),
  /** Forgets a loaded data set (a running training keeps its own reference). */
  close: method(v.tuple([DatasetId]), returns<void>()),
  /** A page of images of the (filtered) list: `count` images from position `start`. */
  thumbnails: method(v.tuple([DatasetId, ThumbnailQuerySchema]), returns<ExamplePage>()),
  /** The images behind any list of row indices (e.g. the mistakes in one confusion-matrix cell). */
  examples: method(v.tuple([DatasetId, v.pipe(v.array(Count), v.maxLength(10000))]), returns<ExamplePage>()),
  /** Sets the dev split (and an optional separate test data set); throws with the reason if invalid. */
  setSplit: method(v.tuple([DatasetId, SplitOptionsSchema]), returns<SplitSummary>()),
  /** Renames the classes (one name each, 1–40 characters). */
  setClassNames: method(v.tuple([DatasetId, v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40))), v.maxLength(256))]), returns<DatasetSummary>()),
  /** The data sets opened lately, newest first. */
  recent: method(v.tuple([]), returns<RecentDataset[]>()),
  /** The class names last saved for the data of this fingerprint, when they are `classes` names; else null. For a
   *  run whose data is not open: its matrix and drawing pad still use the names the user gave. */
  savedClassNames: method(v.tuple([Fingerprint, v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(256))]), returns<string[] | null>()),
};

export interface DatasetEvents {
  /** A load is under way (about 10 per second). */
  'datasets.progress': LoadProgress;
  /** A data set was loaded, or its split or class names changed. */
  'datasets.changed': DatasetSummary;
  /**
   * A data set was closed. `notice` says why when the user did not close it: the oldest was closed to make
   * room (at most MAX_LOADED stay open), e.g. "fashion_test.csv was closed to make room: at most 8 …".
   */
  'datasets.closed': { id: string; notice?: string };
  /** Browser mode: uploads that nothing needs any more were removed, so the recent list offers fewer to reopen. */
  'datasets.recentChanged': Record<string, never>;
}
