// The network's head in the WebAssembly backend (./backend.ts): softmax with its cross-entropy loss, and
// their fused backward (assembly/head.ts). The plain twins are src/worker/core/layers.ts's.
import type { Kernels } from '../core/kernels';
import type { SizeCheck, ViewCheck } from './backend';

/** The module's exports these call. */
export interface HeadExports {
  softmaxForward(probs: number, logits: number, labels: number, B: number, K: number): number;
  crossEntropyBackward(dlogits: number, probs: number, labels: number, B: number, K: number, scale: number): void;
}

/** staging: the backend's scratch bytes, where the labels (a JS array anywhere) are copied for the call. */
export function headKernels(x: HeadExports, at: ViewCheck, dims: SizeCheck, staging: Uint8Array): Required<Pick<Kernels, 'softmaxForward' | 'crossEntropyBackward'>> {
  /** The byte offset of labels[0…B) copied into staging, after checking each is a class below K. */
  function stageLabels(labels: Uint8Array, B: number, K: number, kernel: string): number {
    if (labels.length < B) throw new RangeError(`wasm-simd ${kernel}: labels has ${labels.length} elements, needs ${B}`);
    if (B > staging.length) throw new RangeError(`wasm-simd ${kernel}: ${B} rows exceed the ${staging.length} bytes of scratch for their labels`);
    for (let b = 0; b < B; b++) {
      const y = labels[b];
      if (y >= K) throw new RangeError(`wasm-simd ${kernel}: labels[${b}] = ${y} is not one of the ${K} classes`);
      staging[b] = y;
    }
    return staging.byteOffset;
  }
  return {
    softmaxForward(probs, logits, labels, B, K) {
      const k = 'softmaxForward';
      dims(k, B, K);
      const labelsAt = labels ? stageLabels(labels, B, K, k) : 0;
      return x.softmaxForward(at(probs, B * K, 'probs', k), at(logits, B * K, 'logits', k), labelsAt, B, K);
    },
    crossEntropyBackward(dlogits, probs, labels, B, K, scale) {
      const k = 'crossEntropyBackward';
      dims(k, B, K);
      const labelsAt = stageLabels(labels, B, K, k);
      const dlogitsAt = at(dlogits, B * K, 'dlogits', k), probsAt = at(probs, B * K, 'probs', k);
      // (the kernel scales every value, then reads each label's probability again)
      if (dlogitsAt < probsAt + 4 * B * K && probsAt < dlogitsAt + 4 * B * K) throw new RangeError(`wasm-simd ${k}: dlogits overlaps probs; give it its own array`);
      x.crossEntropyBackward(dlogitsAt, probsAt, labelsAt, B, K, scale);
    },
  };
}
