// `npm run cli -- predict MODEL [FILE] [--out FILE.csv] [--json]`: a saved model's predictions for a data set
// (labelled or not; the built-in sample when FILE is left out), with the same forward pass and the same CSV as
// the Models view. The CSV goes to --out, or to stdout (the summary then on stderr, so `> file.csv` keeps it clean).
import { basename } from 'node:path';
import { classMismatchText } from '../../shared/class-match';
import { defaultClassNames } from '../../shared/datasets';
import type { ModelSource } from '../../shared/model-file';
import { noAnswerText, type PredictionSummary, summarizePredictions } from '../../shared/prediction-summary';
import { writeFileAtomic } from '../../main/runs/atomic-file';
import { readModelFile } from '../../main/runs/model-export';
import { predictionsCsvBlocks } from '../../main/runs/predictions-csv';
import { predictRows } from '../../main/runs/predict-dev';
import { fileErrorText } from '../../shared/file-error';
import { formatOptions, parseArgs, UsageError } from '../args';
import type { CliIO, Command } from '../command';
import { checkOutFile, InputError, type InputFile, loadInput, skippedNotice } from './train-input';
import { printable } from '../io';

const optionSpecs = {
  out: { kind: 'string', value: 'FILE', help: 'write the predictions CSV to FILE (default: stdout, and the summary to stderr)' },
  json: { kind: 'boolean', help: 'print the summary as one JSON object (with --out)' },
  'skip-bad-rows': { kind: 'boolean', help: 'leave out rows of FILE with problems (a note lists their lines) instead of stopping at them' },
} as const;

const int = (n: number) => n.toLocaleString('en-US');
const percent = (fraction: number, digits = 2) => `${(100 * fraction).toFixed(digits)}%`;

/** The human-readable summary: the model, the file and its accuracy, a line per class, the commonest mistakes. */
export function formatPredictionSummary(model: ModelSource, modelName: string, file: InputFile, s: PredictionSummary): string {
  return printable(summaryText(model, modelName, file, s)); // on stdout with --out: names from the files, as text
}

function summaryText(model: ModelSource, modelName: string, file: InputFile, s: PredictionSummary): string {
  const layers = [model.layerSizes[0], ...model.config.hidden.map((h) => `${h.units} ${h.activation}`), model.labels.length].join(' → ');
  const trained = model.trained.dataset ? `, trained ${model.trained.epochs} epoch${model.trained.epochs === 1 ? '' : 's'} on ${model.trained.dataset}` : '';
  const labelled = s.accuracy !== null;
  const lines = [
    `model     ${modelName}: ${layers}${trained}`,
    `data      ${int(s.rows)} images of ${file.name}${labelled ? '' : ' (no labels, so no accuracy)'}`,
  ];
  if (s.accuracy !== null) lines.push(`accuracy  ${percent(s.accuracy)} (${int(s.correct ?? 0)} of ${int(s.rows)})`);
  if (s.noAnswer > 0) lines.push(`note      ${noAnswerText(s.noAnswer, s.rows, labelled)}`);
  const mismatch = classesNote(model, file);
  if (mismatch) lines.push(`note      ${mismatch.trim()}`);
  if (s.unknownLabels > 0) lines.push(`note      ${int(s.unknownLabels)} image${s.unknownLabels === 1 ? ' has a label' : 's have labels'} the model has no class for: wrong in the accuracy and in the precision of the class predicted for them, and in no class's recall`);
  // Names that are just the class number are not repeated (nor their column, when all are).
  const names = s.classes.map((c) => (c.name === String(c.class) ? '' : c.name));
  const nameWidth = Math.max(4, ...names.map((n) => n.length));
  const nameColumn = (name: string) => (names.some(Boolean) ? `  ${name.padEnd(nameWidth)}` : '');
  const head = `  class${nameColumn('name')}  predicted${labelled ? '   images  recall  precision' : ''}`;
  const rows = s.classes.map((c, k) => {
    const base = `  ${String(c.class).padStart(5)}${nameColumn(names[k])}  ${int(c.predicted).padStart(9)}`;
    return labelled ? `${base}  ${int(c.images ?? 0).padStart(7)}  ${percent(c.recall ?? 0, 1).padStart(6)}  ${percent(c.precision ?? 0, 1).padStart(9)}` : base;
  });
  lines.push(head, ...rows);
  if (s.confusions.length > 0) {
    const label = (k: number) => (names[k] ? `${k} ${names[k]}` : String(k));
    lines.push(`mistakes  ${s.confusions.map(([t, p, n]) => `${label(t)} taken for ${label(p)} ${int(n)}×`).join(', ')}`);
  }
  return lines.join('\n');
}

/** " fashion_test.csv's classes (T-shirt/top, …) are not the model's (0, 1, 2, …): …" when a labelled file's classes
 *  are not the model's (class-match.ts), else ''. A file's classes have names here only when they are Fashion-MNIST's
 *  (a 'fashion' file of 10) or the built-in sample's digits; a file's class numbers name no class, so then only the
 *  count is compared. */
function classesNote(model: ModelSource, file: InputFile): string {
  const { classes, labels } = file.data;
  const classNames = defaultClassNames(classes, file.name);
  if (!file.builtIn && classNames.every((name, k) => name === String(k)) && classes === model.labels.length) return '';
  return classMismatchText({ name: file.name, labeled: labels !== null, classes, classNames }, model.labels);
}

/** The image size the model reads matches the file's, shape and all (14×56 images have 28×28's pixel count): else
 *  the message names both. */
function checkImageSize(model: ModelSource, modelName: string, file: InputFile): void {
  const { width, height } = file.data;
  if (width === model.image.width && height === model.image.height && width * height === model.layerSizes[0]) return;
  throw new InputError(`${modelName} reads ${model.image.width}×${model.image.height} images (${model.layerSizes[0]} pixels); ${file.name} has ${width}×${height} images (${width * height} pixels)`);
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionSpecs, { maxPositionals: 2 });
  const [modelPath, dataPath] = args.positionals;
  if (modelPath === undefined) throw new UsageError('missing MODEL (a .json model file: the Models view exports one, and `train --out` writes one)');
  const out = args.options.get('out');
  const json = args.options.has('json');
  if (json && out === undefined) throw new UsageError('--json prints the summary where the CSV would go; give --out FILE for the CSV');
  const modelName = basename(modelPath);
  let model: ModelSource;
  let file: InputFile;
  try {
    if (out !== undefined) await checkOutFile(out, 'predictions file', [modelPath, dataPath]);
    model = await readModelFile(modelPath, modelPath).catch((error: unknown) => {
      throw new InputError((error as Error).message);
    });
    file = await loadInput(dataPath ?? null, 'data', args.options.has('skip-bad-rows'), true);
    checkImageSize(model, modelName, file);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return 2;
  }
  // The summary goes where the CSV does not.
  const say = out === undefined ? io.stderr : io.stdout;
  const notice = skippedNotice(file);
  if (notice) io.stderr(`note: ${notice}\n`);

  const probs = await predictRows(model.config, model, file.data);
  const blocks = predictionsCsvBlocks(probs, model.labels, file.data.labels, file.skipped?.rows);
  if (out === undefined) {
    for (const block of blocks) io.stdout(block);
  } else {
    try {
      await writeFileAtomic(out, Buffer.from([...blocks].join(''), 'utf8'));
    } catch (error) {
      const text = fileErrorText(error, out, 'predictions file', 'write');
      if (!text) throw error;
      io.stderr(`error: ${text}\n`);
      return 2;
    }
  }
  const summary = summarizePredictions(probs, model.labels, file.data.labels);
  if (json) {
    say(`${JSON.stringify({ model: modelPath, file: file.name, out, ...summary })}\n`);
  } else {
    say(`${formatPredictionSummary(model, modelName, file, summary)}\n`);
    if (out !== undefined) say(`predictions written to ${out}\n`);
  }
  return 0;
}

export const predictCommand: Command = {
  name: 'predict',
  summary: "a saved model's predictions for a data set (CSV), with its accuracy when the file has labels",
  help: () =>
    [
      'Usage: npm run cli -- predict MODEL [FILE] [options]',
      '',
      'Runs the model in MODEL (a .json model file, as the Models view exports it or `train --out` writes it) on',
      'every image of FILE (CSV or IDX, with or without labels; the built-in MNIST sample when FILE is left out) and',
      'writes one CSV line per image: its row, its label when the file has one, the class predicted, its name and',
      'probability, then each class\'s probability. Prints the accuracy, each class\'s recall and precision, and the',
      'commonest mistakes when the file has labels. Bad input: exit code 2 and one line on stderr.',
      '',
      formatOptions(optionSpecs),
    ].join('\n'),
  run,
};
