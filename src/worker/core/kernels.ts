// The numeric kernels the network runs on, behind one interface so the naive reference, the plain
// TypeScript GEMMs and the WebAssembly SIMD build (src/worker/wasm) are interchangeable and tested
// against each other. Row-major everywhere; W is [C, OC] (inputs × outputs, the notebook's X·W).
import { adamStep, momentumStep, rmspropStep, sgdStep } from './optimizers';

export interface Kernels {
  readonly name: string; // 'naive' | 'plain' | 'wasm-simd'
  /** out[B,OC] = inp[B,C] · weight[C,OC] + bias[OC] */
  matmulForward(out: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array, B: number, C: number, OC: number): void;
  /** dweight[C,OC] += inpᵀ[C,B] · dout[B,OC];  dbias[OC] += Σ_b dout[b,·]  (accumulates, llm.c style;
   *  accumulate = false overwrites instead: the same floats as accumulating into zeros, without zeroing) */
  matmulBackwardWeight(dweight: Float32Array, dbias: Float32Array, dout: Float32Array, inp: Float32Array, B: number, C: number, OC: number, accumulate?: boolean): void;
  /** dinp[B,C] = dout[B,OC] · weightᵀ[OC,C]  (overwrites) */
  matmulBackwardInput(dinp: Float32Array, dout: Float32Array, weight: Float32Array, B: number, C: number, OC: number): void;
  /** Optimizer steps over flat buffers of length n; t is the 1-based step count (for Adam's bias correction). */
  sgdStep(params: Float32Array, grads: Float32Array, lr: number, n: number): void;
  momentumStep(params: Float32Array, grads: Float32Array, m: Float32Array, lr: number, beta1: number, n: number): void;
  rmspropStep(params: Float32Array, grads: Float32Array, v: Float32Array, lr: number, beta2: number, eps: number, n: number): void;
  adamStep(params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array, lr: number, beta1: number, beta2: number, eps: number, t: number, n: number): void;
  /**
   * Optional fast twins of plain loops the core otherwise runs itself (the WASM backend has them):
   * out[n] = max(inp, 0)  (out may be inp)
   */
  reluForward?(out: Float32Array, inp: Float32Array, n: number): void;
  /** dinp[n] = out > 0 ? dout : 0  (overwrites; dinp may be dout) */
  reluBackward?(dinp: Float32Array, dout: Float32Array, out: Float32Array, n: number): void;
  /** probs[B,K] = softmax(logits[B,K]) per row; returns Σ_b −log probs[b, labels[b]] (labels null: 0).
   *  The core's own: layers.ts softmaxForward. */
  softmaxForward?(probs: Float32Array, logits: Float32Array, labels: Uint8Array | null, B: number, K: number): number;
  /** dlogits[B,K] = scale · (probs − onehot(labels)) — layers.ts crossEntropyBackward. dlogits must not
   *  overlap probs. */
  crossEntropyBackward?(dlogits: Float32Array, probs: Float32Array, labels: Uint8Array, B: number, K: number, scale: number): void;
  /** out[0…n) = 0. For buffers in shared memory, where V8's TypedArray fill goes element by element
   *  (the WASM backend's is a memset: 9 µs instead of 77 for the standard network's gradient) */
  zero?(out: Float32Array, n: number): void;
  /** out[count, to−from] = pixels[order[start + r]·D + d] / 255 as float32 for d in [from, to) (default
   *  all D columns; order null = rows start…) */
  gatherBatch?(out: Float32Array, pixels: Uint8Array, order: Uint32Array | null, start: number, count: number, D: number, from?: number, to?: number): void;
}

/** matmulBackwardWeight's overwrite, for kernels that accumulate: dweight[C,OC] = 0, dbias[OC] = 0. */
export function startFromZero(dweight: Float32Array, dbias: Float32Array, C: number, OC: number): void {
  dweight.fill(0, 0, C * OC);
  dbias.fill(0, 0, OC);
}

/** The reference: the obvious loops, one dot product per output element. */
export const naiveKernels: Kernels = {
  name: 'naive',

  matmulForward(out, inp, weight, bias, B, C, OC) {
    for (let b = 0; b < B; b++) {
      for (let o = 0; o < OC; o++) {
        let sum = bias[o];
        for (let c = 0; c < C; c++) sum += inp[b * C + c] * weight[c * OC + o];
        out[b * OC + o] = sum;
      }
    }
  },

  matmulBackwardWeight(dweight, dbias, dout, inp, B, C, OC, accumulate = true) {
    if (!accumulate) startFromZero(dweight, dbias, C, OC);
    for (let c = 0; c < C; c++) {
      for (let o = 0; o < OC; o++) {
        let sum = 0;
        for (let b = 0; b < B; b++) sum += inp[b * C + c] * dout[b * OC + o];
        dweight[c * OC + o] += sum;
      }
    }
    for (let o = 0; o < OC; o++) {
      let sum = 0;
      for (let b = 0; b < B; b++) sum += dout[b * OC + o];
      dbias[o] += sum;
    }
  },

  matmulBackwardInput(dinp, dout, weight, B, C, OC) {
    for (let b = 0; b < B; b++) {
      for (let c = 0; c < C; c++) {
        let sum = 0;
        for (let o = 0; o < OC; o++) sum += dout[b * OC + o] * weight[c * OC + o];
        dinp[b * C + c] = sum;
      }
    }
  },

  sgdStep,
  momentumStep,
  rmspropStep,
  adamStep,
};
