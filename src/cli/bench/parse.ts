// Bench section "parse": reading fashion_train.csv (60,000 × 785, 133 MB) with our reader (worker threads for
// big CSVs, see src/main/datasets/read-parallel.ts; and on the main thread alone, for comparison) vs
// numpy.loadtxt(path, delimiter=',', skiprows=1, dtype=np.uint8) on the same file in the same run; best of 3
// each. Also the peak memory beyond the 47 MB of pixels (goal ≤ 2× that) and the longest event-loop stall.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readDataset } from '../../main/datasets/read';
import type { BenchOptions, BenchRow, BenchSection } from './section';

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
path, runs = sys.argv[1], int(sys.argv[2])
base = peak_kb()
seconds, cpu = [], []
for _ in range(runs):
    t, c = time.perf_counter(), time.process_time()
    a = np.loadtxt(path, delimiter=',', skiprows=1, dtype=np.uint8)
    seconds.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
    rows = a.shape[0]
    del a
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "baseKb": base, "peakKb": peak_kb()}))
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

async function parseOurs(path: string, log: (line: string) => void, parallel?: { threads: number }): Promise<OursFigures> {
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
    const { data } = await readDataset([{ path, name: 'fashion_train.csv' }], { ...(parallel ? { parallel } : {}), onProgress: () => (sampled = Math.max(sampled, process.memoryUsage().rss)) });
    seconds.push((performance.now() - t0) / 1000);
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1e6);
    loop.disable();
    clearInterval(sampler);
    maxStallMs = Math.max(maxStallMs, loop.max / 1e6);
    rows = data.rows;
    pixelBytes = data.pixels.length + (data.labels?.length ?? 0);
    // The kernel's high-water mark is exact when this run set it; otherwise fall back to sampling.
    const maxAfter = process.resourceUsage().maxRSS * 1024;
    const peak = maxAfter > maxBefore ? maxAfter : sampled;
    if (run === 0) extraBytes = Math.max(0, peak - before - pixelBytes);
    log(`ours${parallel?.threads === 0 ? ' (main thread only)' : ''}: ${seconds[run].toFixed(3)} s (cpu ${cpu[run].toFixed(3)} s), ${rows} rows, peak beyond pixels ${((peak - before - pixelBytes) / MB).toFixed(1)} MB, longest event-loop stall ${(loop.max / 1e6).toFixed(1)} ms`);
  }
  return { seconds, cpu, rows, pixelBytes, extraBytes, maxStallMs };
}

async function parseNumpy(path: string, log: (line: string) => void): Promise<{ seconds: number[]; cpu: number[]; extraBytes: number } | { error: string }> {
  // These two slow OpenBLAS down on this machine; unset them for the reference only.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const output = await new Promise<{ code: number | null; out: string; err: string }>((done) => {
    const child = spawn('python3', ['-c', NUMPY_SCRIPT, path, String(RUNS)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => done({ code: null, out, err: e.message }));
    child.on('close', (code) => done({ code, out, err }));
  });
  if (output.code !== 0) return { error: `numpy.loadtxt failed: ${output.err.trim().split('\n').at(-1) ?? `exit ${output.code}`}` };
  const r = JSON.parse(output.out) as { seconds: number[]; cpu: number[]; rows: number; baseKb: number; peakKb: number };
  const pixels = r.rows * 785;
  const extraBytes = Math.max(0, (r.peakKb - r.baseKb) * 1024 - pixels);
  r.seconds.forEach((s, k) => log(`numpy.loadtxt: ${s.toFixed(3)} s (cpu ${r.cpu[k].toFixed(3)} s)`));
  return { seconds: r.seconds, cpu: r.cpu, extraBytes };
}

export const parseBench: BenchSection = {
  name: 'parse',
  async run(options: BenchOptions): Promise<BenchRow[]> {
    const path = resolve(options.dataDir, 'fashion_train.csv');
    if (!existsSync(path)) throw new Error(`${path} not found`);
    // The first run starts the reader threads (as the app's first big load does); later runs reuse them.
    const ours = await parseOurs(path, options.log);
    const mainThreadOnly = await parseOurs(path, options.log, { threads: 0 });
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
    ];
  },
};
