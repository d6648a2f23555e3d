// Bench section "gemm": GFLOP/s of each GEMM of one training step of the standard network (784-128-10),
// at batch 64 (one thread) and at 32 (each thread's half of the batch when one run trains on two), on
// the WASM SIMD, plain TS and naive kernels. The first layer's products run on 64 real Fashion-MNIST
// images, because the kernels skip zero pixels where that pays.
import { resolve } from 'node:path';
import { readDataset } from '../../main/datasets/read';
import { naiveKernels, type Kernels } from '../../worker/core/kernels';
import { plainKernels } from '../../worker/core/kernels-plain';
import { createWasmSimdBackend, wasmSimdSupported } from '../../worker/wasm';
import type { BenchRow, BenchSection } from './section';

type Variant = 'forward' | 'weight' | 'input';
type Shape = [label: string, variant: Variant, B: number, C: number, OC: number];

const shapesAt = (B: number): Shape[] => [
  ['forward X·W1', 'forward', B, 784, 128],
  ['weight grad Xᵀ·dZ1', 'weight', B, 784, 128],
  ['forward A1·W2', 'forward', B, 128, 10],
  ['weight grad A1ᵀ·dZ2', 'weight', B, 128, 10],
  ['input grad dZ2·W2ᵀ', 'input', B, 128, 10],
];

/** GFLOP/s of one kernel call, repeated for `ms` after a warm-up; the best of 3 such runs (busy machine). */
function gflops(run: () => void, flops: number, ms = 200): number {
  for (let i = 0; i < 5; i++) run();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let reps = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while (elapsed < ms) {
      run();
      reps++;
      elapsed = performance.now() - t0;
    }
    best = Math.max(best, (flops * reps) / (elapsed / 1000) / 1e9);
  }
  return best;
}

/** GFLOP/s of one shape on one backend; `alloc` places the operands where the kernels need them. */
function gemmFlops(k: Kernels, alloc: (n: number) => Float32Array, images: Float32Array, [, kind, B, C, OC]: Shape): number {
  const fill = (n: number) => {
    const a = alloc(n);
    for (let i = 0; i < n; i++) a[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    return a;
  };
  const inp = alloc(B * C);
  inp.set(C === 784 ? images.subarray(0, B * C) : fill(B * C));
  const w = fill(C * OC), bias = fill(OC), out = fill(B * OC), dw = alloc(C * OC), db = alloc(OC), dinp = alloc(B * C);
  const run = kind === 'forward' ? () => k.matmulForward(out, inp, w, bias, B, C, OC)
    : kind === 'weight' ? () => k.matmulBackwardWeight(dw, db, out, inp, B, C, OC)
      : () => k.matmulBackwardInput(dinp, out, w, B, C, OC);
  return gflops(run, 2 * B * C * OC);
}

export const gemmBench: BenchSection = {
  name: 'gemm',
  async run(options) {
    const { data } = await readDataset([{ path: resolve(options.dataDir, 'fashion_train.csv'), name: 'fashion_train.csv' }]);
    // 64 real images (0…1) for the first layer: their zeros matter to the kernels
    const images = Float32Array.from(data.pixels.subarray(0, 64 * 784), (p) => p / 255);
    const zeros = images.reduce((n, x) => n + (x === 0 ? 1 : 0), 0) / images.length;
    const plainAlloc = (n: number) => new Float32Array(n);
    const wasm = wasmSimdSupported() ? createWasmSimdBackend({ maxFloats: 1 << 22 }) : null;
    if (!wasm) options.log('gemm: WebAssembly SIMD is not available here; the plain TS kernels stand in');
    const rows: BenchRow[] = [];
    for (const shape of [...shapesAt(64), ...shapesAt(32)]) {
      const [label, , B, C, OC] = shape;
      const plain = gemmFlops(plainKernels, plainAlloc, images, shape);
      const naive = gemmFlops(naiveKernels, plainAlloc, images, shape);
      const simd = wasm ? gemmFlops(wasm.kernels, (n) => wasm.allocator.allocFloat32(n), images, shape) : null;
      options.log(`gemm ${label} B=${B}: wasm ${simd?.toFixed(1) ?? 'n/a'}, plain ${plain.toFixed(2)}, naive ${naive.toFixed(2)} GFLOP/s`);
      rows.push({
        name: `GEMM ${label} [${B}×${C}]·[${C}×${OC}]`,
        ours: simd ?? plain,
        unit: 'GFLOP/s',
        numpy: null,
        ratio: null,
        notes: { kernels: simd === null ? 'plain' : 'wasm', plain, naive, inputs: C === 784 ? `fashion images, ${Math.round(zeros * 100)}% zeros` : 'dense' },
      });
    }
    return rows;
  },
};
