// Micro-benchmarks of the kernels, for `npm run bench` and for checking by hand: GEMM GFLOP/s per shape
// and optimizer-step time, for any Kernels + Allocator pair (plain TS or WASM SIMD). Not a test: it
// measures wall-clock time. Pure TS — the caller passes the clock (e.g. () => performance.now()).
import type { Allocator } from '../core/buffers';
import type { Kernels } from '../core/kernels';

export type GemmVariant = 'forward' | 'weight' | 'input';

/** forward: [B,C]·[C,OC] + bias;  weight: [C,B]ᵀ·[B,OC] accumulate;  input: [B,OC]·[C,OC]ᵀ */
export interface GemmShape {
  variant: GemmVariant;
  B: number;
  C: number;
  OC: number;
  /** Fraction of non-zeros in the [B,C] operand (pixels: about 0.5 on Fashion-MNIST). Default 1. */
  density?: number;
  /** Where the zeros are: 'spread' evenly (uncorrelated, like ReLU outputs; the default) or 'image':
   *  each row a 28-wide image whose non-zeros form one blob and whose zeros surround it (as in MNIST-style
   *  pixels, where they cluster at the borders — which the two-row zero-skipping kernel relies on). */
  zeros?: 'spread' | 'image';
}

export interface GemmMeasure extends GemmShape {
  kernels: string;
  /** 2·B·C·OC floating-point operations per call, divided by the seconds per call, in GFLOP/s. */
  gflops: number;
  secondsPerCall: number;
  calls: number;
}

/** The GEMMs of one training step of the standard network (784-128-10, batch 64). */
export const standardGemmShapes: GemmShape[] = [
  { variant: 'forward', B: 64, C: 784, OC: 128 }, // layer 1: X·W1
  { variant: 'forward', B: 64, C: 784, OC: 128, density: 0.5, zeros: 'image' }, // … on Fashion-MNIST-like pixels
  { variant: 'weight', B: 64, C: 784, OC: 128 }, // layer 1: Xᵀ·dZ1
  { variant: 'weight', B: 64, C: 784, OC: 128, density: 0.5, zeros: 'image' },
  { variant: 'forward', B: 64, C: 128, OC: 10 }, // layer 2: A1·W2
  { variant: 'weight', B: 64, C: 128, OC: 10 }, // layer 2: A1ᵀ·dZ2
  { variant: 'input', B: 64, C: 128, OC: 10 }, // layer 2: dZ2·W2ᵀ
  { variant: 'input', B: 64, C: 256, OC: 128 }, // a deeper network's hidden layer: dZ·Wᵀ
  // Batch 32: each thread's half of the batch when one run trains on two threads.
  { variant: 'forward', B: 32, C: 784, OC: 128 },
  { variant: 'forward', B: 32, C: 784, OC: 128, density: 0.5, zeros: 'image' },
  { variant: 'weight', B: 32, C: 784, OC: 128 },
  { variant: 'weight', B: 32, C: 784, OC: 128, density: 0.5, zeros: 'image' },
];

export const describeGemm = (s: GemmShape): string =>
  (s.variant === 'forward' ? `forward ${s.B}×${s.C}·${s.C}×${s.OC}` : s.variant === 'weight' ? `weight ${s.C}×${s.B}·${s.B}×${s.OC}` : `input ${s.B}×${s.OC}·${s.OC}×${s.C}`) +
  (s.density !== undefined && s.density < 1 ? ` (${Math.round(s.density * 100)}% non-zero${s.zeros === 'image' ? ', image-like' : ''})` : '');

function fillDeterministic(a: Float32Array, seed: number): void {
  let x = seed >>> 0 || 1;
  for (let i = 0; i < a.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    a[i] = ((x >>> 0) / 4294967296 - 0.5) * 0.1;
  }
}

/** Calls `run` in growing batches until minSeconds have passed; returns seconds per call. */
function timeCalls(run: () => void, now: () => number, minSeconds: number): { secondsPerCall: number; calls: number } {
  for (let i = 0; i < 3; i++) run(); // warm-up: JIT tiers, caches
  let calls = 1;
  for (;;) {
    const start = now();
    for (let i = 0; i < calls; i++) run();
    const seconds = (now() - start) / 1000;
    if (seconds >= minSeconds) return { secondsPerCall: seconds / calls, calls };
    calls *= seconds > 0 ? Math.min(10, Math.ceil((1.2 * minSeconds) / seconds)) : 10;
  }
}

/** GFLOP/s of one GEMM variant. `now` returns milliseconds. Buffers come from `allocator` (for WASM:
 *  about B·C + C·OC + B·OC + OC floats of its capacity per call of this function). */
export function measureGemm(kernels: Kernels, allocator: Allocator, shape: GemmShape, now: () => number = Date.now, minSeconds = 0.3): GemmMeasure {
  const { variant, B, C, OC } = shape;
  const x = allocator.allocFloat32(B * C), w = allocator.allocFloat32(C * OC), y = allocator.allocFloat32(B * OC), bias = allocator.allocFloat32(OC);
  fillDeterministic(x, 1);
  const density = shape.density ?? 1;
  // Zero a deterministic (1 − density) of the [B,C] operand (variant 'input' has none): evenly spread, or
  // around a blob per row (a disc of area density·C in a 28-wide grid, its centre moving from row to row).
  if (density < 1 && variant !== 'input') {
    if (shape.zeros === 'image') {
      const r2 = (density * C) / Math.PI;
      for (let b = 0; b < B; b++) {
        const cx = 12 + ((b * 0.7548776662) % 1) * 4, cy = 12 + ((b * 0.5698402910) % 1) * 4;
        for (let c = 0; c < C; c++) {
          const dx = (c % 28) - cx, dy = Math.floor(c / 28) - cy;
          if (dx * dx + dy * dy > r2) x[b * C + c] = 0;
          else x[b * C + c] = Math.abs(x[b * C + c]) + 1e-3;
        }
      }
    } else for (let i = 0; i < x.length; i++) if ((i * 0.6180339887) % 1 >= density) x[i] = 0;
  }
  fillDeterministic(w, 2);
  fillDeterministic(y, 3);
  fillDeterministic(bias, 4);
  const run =
    variant === 'forward'
      ? () => kernels.matmulForward(y, x, w, bias, B, C, OC)
      : variant === 'weight'
        ? () => kernels.matmulBackwardWeight(w, bias, y, x, B, C, OC)
        : () => kernels.matmulBackwardInput(x, y, w, B, C, OC);
  if (variant === 'weight') w.fill(0); // accumulates: keep the numbers from growing over the calls
  const { secondsPerCall, calls } = timeCalls(run, now, minSeconds);
  return { ...shape, kernels: kernels.name, gflops: (2 * B * C * OC) / secondsPerCall / 1e9, secondsPerCall, calls };
}

export interface OptimizerMeasure {
  kernels: string;
  optimizer: 'adam';
  n: number;
  secondsPerStep: number;
}

/** Seconds per Adam step over n parameters (default: the standard network's 101,770), with gradients
 *  that decay over the steps the way a trained network's do, so subnormal moments show up if unflushed. */
export function measureAdam(kernels: Kernels, allocator: Allocator, n = 101_770, now: () => number = Date.now, minSeconds = 0.3): OptimizerMeasure {
  const p = allocator.allocFloat32(n), g = allocator.allocFloat32(n), m = allocator.allocFloat32(n), v = allocator.allocFloat32(n);
  fillDeterministic(p, 5);
  fillDeterministic(g, 6);
  // A third of the parameters no longer get a gradient (border pixels): their moments have decayed
  // towards and into float32's subnormal range (below 1.2e-38), log-uniformly, as in a real run.
  for (let i = 0; i < n; i += 3) {
    const f = (i % 997) / 997;
    g[i] = 0;
    m[i] = 10 ** (-30 - 15 * f);
    v[i] = 10 ** (-36 - 8 * f);
  }
  let t = 0;
  const { secondsPerCall } = timeCalls(() => kernels.adamStep(p, g, m, v, 1e-3, 0.9, 0.999, 1e-8, ++t, n), now, minSeconds);
  return { kernels: kernels.name, optimizer: 'adam', n, secondsPerStep: secondsPerCall };
}

export interface KernelComparison {
  /** describeGemm(shape), or 'adam (n params)'. */
  name: string;
  /** GFLOP/s for GEMMs, µs per step for Adam. */
  plain: number;
  wasm: number;
  unit: 'GFLOP/s' | 'µs/step';
}

/**
 * Plain TS vs WASM SIMD on every shape (default: the standard network's) and on Adam, best of `repeats`
 * runs each (the machine may be busy). For `npm run bench` and by-hand checks; `now` returns milliseconds.
 */
export function compareKernels(plain: Kernels, plainAllocator: Allocator, wasm: Kernels, wasmAllocator: Allocator, now: () => number, shapes = standardGemmShapes, repeats = 3, minSeconds = 0.2): KernelComparison[] {
  const rows: KernelComparison[] = shapes.map((s) => ({ name: describeGemm(s), plain: 0, wasm: 0, unit: 'GFLOP/s' }));
  const adam: KernelComparison = { name: 'adam (101,770 params)', plain: Infinity, wasm: Infinity, unit: 'µs/step' };
  for (let r = 0; r < repeats; r++) {
    shapes.forEach((s, i) => {
      rows[i].plain = Math.max(rows[i].plain, measureGemm(plain, plainAllocator, s, now, minSeconds).gflops);
      rows[i].wasm = Math.max(rows[i].wasm, measureGemm(wasm, wasmAllocator, s, now, minSeconds).gflops);
    });
    adam.plain = Math.min(adam.plain, measureAdam(plain, plainAllocator, 101_770, now, minSeconds).secondsPerStep * 1e6);
    adam.wasm = Math.min(adam.wasm, measureAdam(wasm, wasmAllocator, 101_770, now, minSeconds).secondsPerStep * 1e6);
  }
  return [...rows, adam];
}
