// Bench section "parse": reading fashion_train.csv (60,000 × 785, 133 MB) with our reader (worker threads for
// big CSVs, see src/main/datasets/read-parallel.ts; and on the main thread alone, for comparison) vs
// numpy.loadtxt(path, delimiter=',', skiprows=1, dtype=np.uint8) on the same file in the same run; best of 3
// each. Also the peak memory beyond the 47 MB of pixels (goal ≤ 2× that) and the longest event-loop stall.
// Last, the general path (decimals): fashion_test.csv written as 0–1 floats (unit-floats.ts) into a temp
// folder, read by ours on the main thread vs numpy.loadtxt(…, dtype=np.float32), best of 3 each, then deleted.
// The main thread is also how the app reads it: reader threads take only files whose head is plain integers
// (read-parallel.ts, parser.plainRows).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readDataset, type ReadResult } from '../../main/datasets/read';
import type { BenchOptions, BenchRow, BenchSection } from './section';
import { UNIT_DECIMALS, writeUnitFloatCsv } from './unit-floats';

const RUNS = 3;
const MB = 1e6;

const NUMPY_SCRIPT = `
import json, resource, sys, time
import numpy as np
def peak_kb():
    # VmHWM: this process's own high-water mark (ru_maxrss would include the parent's, inherited across exec).
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
path, runs, dtype = sys.argv[1], int(sys.argv[2]), np.dtype(sys.argv[3])
base = peak_kb()
seconds, cpu = [], []
for _ in range(runs):
    t, c = time.perf_counter(), time.process_time()
    a = np.loadtxt(path, delimiter=',', skiprows=1, dtype=dtype)
    seconds.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
    rows, nbytes = a.shape[0], a.nbytes
    del a
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "nbytes": nbytes, "baseKb": base, "peakKb": peak_kb()}))
`;

interface OursFigures {
  seconds: number[];
  /** CPU seconds of this process (all threads) per run: steadier than wall time on a shared machine. */
  cpu: number[];
  rows: number;
  pixelBytes: number;
  /** Peak resident memory during the first run minus before it, minus the pixels and labels. */
  extraBytes: number;
  maxStallMs: number;
}

interface OursRead {
  /** The name readDataset shows in messages. */
  name: string;
  /** Reader threads (0: main thread only); default: as the app reads. */
  parallel?: { threads: number };
  /** Called with every run's result after its figures are taken. */
  check?: (result: ReadResult) => void;
}

async function parseOurs(path: string, log: (line: string) => void, { name, parallel, check }: OursRead): Promise<OursFigures> {
  const seconds: number[] = [];
  const cpu: number[] = [];
  let rows = 0;
  let pixelBytes = 0;
  let extraBytes = 0;
  let maxStallMs = 0;
  for (let run = 0; run < RUNS; run++) {
    const before = process.memoryUsage().rss;
    const maxBefore = process.resourceUsage().maxRSS * 1024;
    let sampled = before;
    const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 5);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = await readDataset([{ path, name }], { ...(parallel ? { parallel } : {}), onProgress: () => (sampled = Math.max(sampled, process.memoryUsage().rss)) });
    seconds.push((performance.now() - t0) / 1000);
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1e6);
    loop.disable();
    clearInterval(sampler);
    maxStallMs = Math.max(maxStallMs, loop.max / 1e6);
    const { data } = result;
    rows = data.rows;
    pixelBytes = data.pixels.length + (data.labels?.length ?? 0);
    // The kernel's high-water mark is exact when this run set it; otherwise fall back to sampling.
    const maxAfter = process.resourceUsage().maxRSS * 1024;
    const peak = maxAfter > maxBefore ? maxAfter : sampled;
    if (run === 0) extraBytes = Math.max(0, peak - before - pixelBytes);
    check?.(result);
    log(`ours${parallel?.threads === 0 ? ' (main thread only)' : ''}: ${seconds[run].toFixed(3)} s (cpu ${cpu[run].toFixed(3)} s), ${rows} rows, peak beyond pixels ${((peak - before - pixelBytes) / MB).toFixed(1)} MB, longest event-loop stall ${(loop.max / 1e6).toFixed(1)} ms`);
  }
  return { seconds, cpu, rows, pixelBytes, extraBytes, maxStallMs };
}

async function parseNumpy(path: string, log: (line: string) => void, dtype: 'uint8' | 'float32' = 'uint8'): Promise<{ seconds: number[]; cpu: number[]; extraBytes: number } | { error: string }> {
  // These two slow OpenBLAS down on this machine; unset them for the reference only.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const output = await new Promise<{ code: number | null; out: string; err: string }>((done) => {
    const child = spawn('python3', ['-c', NUMPY_SCRIPT, path, String(RUNS), dtype], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => done({ code: null, out, err: e.message }));
    child.on('close', (code) => done({ code, out, err }));
  });
  if (output.code !== 0) return { error: `numpy.loadtxt failed: ${output.err.trim().split('\n').at(-1) ?? `exit ${output.code}`}` };
  const r = JSON.parse(output.out) as { seconds: number[]; cpu: number[]; rows: number; nbytes: number; baseKb: number; peakKb: number };
  const extraBytes = Math.max(0, (r.peakKb - r.baseKb) * 1024 - r.nbytes);
  r.seconds.forEach((s, k) => log(`numpy.loadtxt: ${s.toFixed(3)} s (cpu ${r.cpu[k].toFixed(3)} s)`));
  return { seconds: r.seconds, cpu: r.cpu, extraBytes };
}

export const parseBench: BenchSection = {
  name: 'parse',
  async run(options: BenchOptions): Promise<BenchRow[]> {
    const path = resolve(options.dataDir, 'fashion_train.csv');
    if (!existsSync(path)) throw new Error(`${path} not found`);
    // The first run starts the reader threads (as the app's first big load does); later runs reuse them.
    const ours = await parseOurs(path, options.log, { name: 'fashion_train.csv' });
    const mainThreadOnly = await parseOurs(path, options.log, { name: 'fashion_train.csv', parallel: { threads: 0 } });
    const numpy = await parseNumpy(path, options.log);
    const best = Math.min(...ours.seconds);
    const numpyBest = 'error' in numpy ? null : Math.min(...numpy.seconds);
    const notes: Record<string, number | string> = { 'MB/s': statSync(path).size / MB / best, rows: ours.rows, runs: `best of ${RUNS}`, 'first run s (threads start)': ours.seconds[0], 'max loop stall ms': ours.maxStallMs };
    if ('error' in numpy) notes.numpy = numpy.error;
    else {
      notes['cpu s ours'] = Math.min(...ours.cpu);
      notes['cpu s numpy'] = Math.min(...numpy.cpu);
      notes['cpu ratio'] = Math.min(...ours.cpu) / Math.min(...numpy.cpu);
    }
    const extra = ours.extraBytes / MB;
    const pixels = ours.pixelBytes / MB;
    return [
      { name: 'parse fashion_train.csv (60000×785)', ours: best, unit: 's', numpy: numpyBest, ratio: numpyBest ? best / numpyBest : null, notes: { ...notes, goal: '≤ 0.5' } },
      {
        name: 'parse, main thread only (no reader threads)',
        ours: Math.min(...mainThreadOnly.seconds),
        unit: 's',
        numpy: numpyBest,
        ratio: numpyBest ? Math.min(...mainThreadOnly.seconds) / numpyBest : null,
        notes: { runs: `best of ${RUNS}`, 'max loop stall ms': mainThreadOnly.maxStallMs },
      },
      {
        name: 'parse: peak memory beyond pixels',
        ours: extra,
        unit: 'MB',
        numpy: 'error' in numpy ? null : numpy.extraBytes / MB,
        ratio: 'error' in numpy || numpy.extraBytes === 0 ? null : ours.extraBytes / numpy.extraBytes,
        notes: { 'pixels MB': pixels, 'extra / pixels': extra / pixels, goal: '≤ 2' },
      },
      ...(await unitFloatRow(options.dataDir, options.log)),
    ];
  },
};

/** The 0–1 float row (none when fashion_test.csv is missing): our general path vs numpy.loadtxt as float32. */
async function unitFloatRow(dataDir: string, log: (line: string) => void): Promise<BenchRow[]> {
  const source = resolve(dataDir, 'fashion_test.csv');
  if (!existsSync(source)) {
    log(`${source} not found: no 0–1 float row`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'mlp-bench-'));
  try {
    const path = join(dir, 'fashion_test_unit.csv');
    const file = writeUnitFloatCsv(source, path);
    log(`wrote ${path}: ${file.rows} rows of 0–1 floats (${UNIT_DECIMALS} decimals), ${(file.bytes / MB).toFixed(1)} MB`);
    // Every run must read back the source's bytes exactly, as 0–1 floats, or its time means nothing.
    let wrong = 0;
    const check = ({ data, scaledFromUnit }: ReadResult) => {
      if (!scaledFromUnit || data.rows !== file.rows || data.pixels.length !== file.pixels.length) wrong = Math.max(wrong, file.pixels.length);
      else for (let k = 0; k < file.pixels.length; k++) if (data.pixels[k] !== file.pixels[k]) wrong++;
      if (data.labels?.length !== file.labels.length || data.labels.some((l, k) => l !== file.labels[k])) wrong++;
    };
    const mainThreadOnly = await parseOurs(path, log, { name: 'fashion_test_unit.csv', parallel: { threads: 0 }, check });
    const numpy = await parseNumpy(path, log, 'float32');
    const best = Math.min(...mainThreadOnly.seconds);
    const numpyBest = 'error' in numpy ? null : Math.min(...numpy.seconds);
    const notes: Record<string, number | string> = {
      'MB/s': file.bytes / MB / best,
      runs: `best of ${RUNS}`,
      'max loop stall ms': mainThreadOnly.maxStallMs,
      'read back': wrong === 0 ? 'exact' : `WRONG (${wrong} values differ)`,
    };
    if ('error' in numpy) notes.numpy = numpy.error;
    else {
      notes['cpu s ours'] = Math.min(...mainThreadOnly.cpu);
      notes['cpu s numpy'] = Math.min(...numpy.cpu);
      notes['cpu ratio'] = Math.min(...mainThreadOnly.cpu) / Math.min(...numpy.cpu);
    }
    const name = `parse 0–1 floats, main thread (fashion_test /255, ${file.rows.toLocaleString('en-US')} × ${file.columns}, ${(file.bytes / MB).toFixed(1)} MB)`;
    return [{ name, ours: best, unit: 's', numpy: numpyBest, ratio: numpyBest ? best / numpyBest : null, notes }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
