// `cli inspect FILE [FILE2] [--json] [--skip-bad-rows]`: parse a data set with the app's own parser and print
// its summary. Bad input exits with code 2 and the positioned problems on stderr.
import { basename } from 'node:path';
import { type DatasetSummary, separatorNote } from '../../shared/datasets';
import { ParseError } from '../../main/datasets/errors';
import { loadBuiltInSample, loadFromFiles } from '../../main/datasets/load';
import { formatOptions, parseArgs, UsageError } from '../args';
import type { CliIO, Command } from '../command';
import { fileErrorText } from '../../shared/file-error';

const optionSpecs = {
  json: { kind: 'boolean', help: 'print the summary as one JSON object' },
  'skip-bad-rows': { kind: 'boolean', help: 'leave out rows with problems (and list their lines) instead of failing' },
  sample: { kind: 'boolean', help: 'inspect the built-in MNIST sample instead of a file' },
} as const;

const int = (n: number) => n.toLocaleString('en-US');

/** The human-readable summary. */
export function formatSummary(s: DatasetSummary): string {
  const layout =
    s.format === 'csv'
      ? `CSV${separatorNote(s.separator)}, ${s.header ? 'with a header' : 'no header'}, ${s.labelColumn ? `label in column ${s.labelColumn}` : 'no label column (it cannot be trained on)'}`
      : s.format === 'idx'
        ? `IDX${s.labeled ? ' images + labels' : ' images, no labels file (they cannot be trained on)'}`
        : 'built in';
  const lines = [
    `${s.name} — ${layout}`,
    `rows        ${int(s.rows)} images of ${s.width}×${s.height} pixels${s.labeled ? `, ${s.classes} class${s.classes === 1 ? '' : 'es'}` : ''}`,
  ];
  if (s.labeled) {
    // Names that are just the class number (digits) are not repeated.
    const names = s.classNames.map((n, k) => (n === String(k) ? '' : n));
    const width = Math.max(...names.map((n) => n.length));
    const counts = s.classCounts.map((c, k) => `${String(k).padStart(3)} ${names[k].padEnd(width)}  ${int(c).padStart(7)}  ${((100 * c) / s.rows).toFixed(1)}%`);
    lines.push('classes', ...counts.map((c) => `  ${c}`));
  }
  lines.push(`pixels      mean ${s.pixelMean.toFixed(2)}, std ${s.pixelStd.toFixed(2)} (0–255)${s.scaledFromUnit ? ', scaled from 0–1 floats' : ''}${s.stretchedFrom ? `, stretched from whole numbers 0–${s.stretchedFrom}` : ''}`);
  lines.push(`empty       ${int(s.emptyImages)} all-zero image${s.emptyImages === 1 ? '' : 's'}`);
  const dupExamples = s.duplicateExamples.slice(0, 3).map((d) => `${d.duplicate} = ${d.first}`).join(', ');
  lines.push(`duplicates  ${int(s.duplicates)}${s.duplicates ? ` (rows, 0-based: ${dupExamples}${s.duplicates > 3 ? ', …' : ''})` : ''}`);
  if (s.skipped.count > 0) {
    const shown = s.skipped.lines.slice(0, 20).join(', ');
    lines.push(`skipped     ${int(s.skipped.count)} bad row${s.skipped.count === 1 ? '' : 's'}, line${s.skipped.count === 1 ? '' : 's'} ${shown}${s.skipped.count > 20 ? ', …' : ''}`);
    for (const p of s.skipped.problems) lines.push(`  ${p.message}`);
  }
  const o = s.split.options;
  const how = o.kind === 'first' ? `first ${int(o.devRows)} row${o.devRows === 1 ? '' : 's'}` : `${(o.devFraction * 100).toFixed(1)}% at random (seed ${o.seed}${o.stratified ? ', stratified' : ''})`;
  // A file without labels is not split: nothing trains on it.
  if (s.labeled) lines.push(`split       dev = ${how}: train ${int(s.split.trainRows)}, dev ${int(s.split.devRows)}`);
  lines.push(`read        ${(s.bytes / 1e6).toFixed(1)} MB in ${(s.parseMs / 1000).toFixed(2)} s`);
  return lines.join('\n');
}

/** The --json form: the summary without the mean images' pixels. */
export function jsonSummary(s: DatasetSummary) {
  const { meanImages: _meanImages, id: _id, ...rest } = s;
  return rest;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionSpecs);
  const sample = args.options.has('sample');
  if (sample && args.positionals.length > 0) throw new UsageError('give a FILE or --sample, not both');
  if (!sample && args.positionals.length === 0) throw new UsageError('missing FILE');
  if (args.positionals.length > 2) throw new UsageError('give one FILE (or an IDX images and labels file)');
  const inputs = args.positionals.map((path) => ({ path, name: basename(path) }));
  let summary: DatasetSummary;
  try {
    const options = { id: 'cli', skipBadRows: args.options.has('skip-bad-rows') };
    summary = (sample ? await loadBuiltInSample(options) : await loadFromFiles(inputs, options)).summary;
  } catch (error) {
    if (error instanceof ParseError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    const path = (error as { path?: unknown }).path;
    const text = fileErrorText(error, typeof path === 'string' ? path : args.positionals.join(' '));
    if (text) {
      io.stderr(`error: ${text}\n`);
      return 2;
    }
    throw error;
  }
  io.stdout(args.options.has('json') ? `${JSON.stringify(jsonSummary(summary))}\n` : `${formatSummary(summary)}\n`);
  return 0;
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'parse a data set (CSV, IDX, .gz) and print its summary',
  help: () =>
    [
      'Usage: npm run cli -- inspect FILE [FILE2] [options]',
      '',
      'Parses FILE with the app\'s parser — MNIST-in-CSV, Kaggle train/test CSV, headerless CSV, IDX (images and',
      'labels; the other file is found by its standard name) — and prints rows, size, classes, pixel statistics,',
      'empty images, duplicates and the default split. Bad input: exit code 2, problems with line and column on stderr.',
      '',
      formatOptions(optionSpecs),
    ].join('\n'),
  run,
};
