// Entry of `npm run bench [-- --data DIR] [--json] [--only NAME] [--rounds N] [--epochs N]`: measures our speed against the NumPy
// reference on the same machine in the same run. Never part of `npm test`.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { formatOptions, numberOption, parseArgs, UsageError } from '../args';
import { gemmBench } from './gemm';
import { parseBench } from './parse';
import type { BenchRow, BenchSection } from './section';
import { trainingBench } from './training';
import { enableRelaxedSimd } from '../../main/wasm-features';
import { wasmSimdSupported } from '../../worker/wasm';

/** The sections, in the order they run. Add yours here. */
const sections: BenchSection[] = [parseBench, trainingBench, gemmBench];

const optionSpecs = {
  data: { kind: 'string', value: 'DIR', help: 'folder with fashion_train.csv (default $MLP_DATA or .data)' },
  only: { kind: 'string', value: 'NAME', help: 'run one section only (names in --help)' },
  rounds: { kind: 'string', value: 'N', help: 'interleaved rounds of NumPy and ours in the training section (default 2)' },
  epochs: { kind: 'string', value: 'N', help: "epochs of each run in a round (default 5, the standard preset's; before 2026-11-30: 3)" },
  json: { kind: 'boolean', help: 'print one JSON object and nothing else on stdout' },
  help: { kind: 'boolean', help: 'show this help' },
} as const;

function formatTable(rows: BenchRow[]): string {
  const header = ['measure', 'ours', 'numpy', 'ours/numpy', 'GFLOP/s ours, numpy', 'notes'];
  const body = rows.map((r) => [
    r.name,
    `${r.ours.toPrecision(4)} ${r.unit}`,
    r.numpy === null ? 'n/a' : `${r.numpy.toPrecision(4)} ${r.unit}`,
    r.ratio === null ? 'n/a' : r.ratio.toFixed(2),
    r.gflops ? `${r.gflops.ours.toFixed(1)}, ${r.gflops.numpy?.toFixed(1) ?? 'n/a'}` : '',
    Object.entries(r.notes ?? {})
      .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(4) : v}`)
      .join(' '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  return [header, ...body].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

async function main(argv: string[]): Promise<number> {
  let args;
  let rounds: number | undefined;
  let epochs: number | undefined;
  try {
    args = parseArgs(argv, optionSpecs, { maxPositionals: 0 });
    rounds = numberOption(args, 'rounds', { min: 1, max: 20, integer: true });
    epochs = numberOption(args, 'epochs', { min: 1, max: 50, integer: true });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.options.has('help')) {
    process.stdout.write(`Usage: npm run bench -- [options]\n\nSections: ${sections.map((s) => s.name).join(', ')}\n\n${formatOptions(optionSpecs)}\n`);
    return 0;
  }
  const dataDir = resolve(args.options.get('data') ?? process.env.MLP_DATA ?? '.data');
  const json = args.options.has('json');
  const only = args.options.get('only');
  const chosen = only ? sections.filter((s) => s.name === only) : sections;
  if (only && chosen.length === 0) {
    process.stderr.write(`error: no bench section '${only}' (have: ${sections.map((s) => s.name).join(', ')})\n`);
    return 2;
  }
  if (!existsSync(resolve(dataDir, 'fashion_train.csv'))) {
    process.stderr.write(
      `error: ${resolve(dataDir, 'fashion_train.csv')} not found. Make the data sets first:\n` +
        `  bash ../shared/data/make-datasets.sh ${dataDir}\n` +
        `or point --data (or MLP_DATA) at the folder that holds them.\n`,
    );
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const fma = enableRelaxedSimd();
  const kernels = wasmSimdSupported() ? (fma ? 'WASM SIMD with fused multiply-add (relaxed SIMD)' : 'WASM SIMD (multiply, then add)') : 'plain TypeScript (no WASM SIMD here)';
  const loadAtStart = loadavg()[0];
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, date: new Date().toISOString(), kernels };
  log(`bench on ${machine.cpu} (${machine.cores} cores), node ${machine.node}, kernels: ${kernels}, load average ${loadAtStart.toFixed(2)}`);
  const rows: BenchRow[] = [];
  for (const section of chosen) {
    log(`— ${section.name}`);
    rows.push(...(await section.run({ dataDir, log, ...(rounds ? { rounds } : {}), ...(epochs ? { epochs } : {}) })));
  }
  // Other processes on the machine slow both sides, NumPy's threaded BLAS most: the 1-minute load
  // average at the start and the end says whether the figures were taken on a quiet machine.
  const load = { start: loadAtStart, end: loadavg()[0] };
  if (json) process.stdout.write(JSON.stringify({ machine, load, rows }) + '\n');
  else
    process.stdout.write(
      `${machine.date.slice(0, 10)}, ${machine.cpu} (${machine.cores} cores), node ${machine.node}, kernels: ${kernels}, ` +
        `load average ${load.start.toFixed(2)} at the start, ${load.end.toFixed(2)} at the end\n${formatTable(rows)}\n`,
    );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
