// How much memory a run takes to train, before it starts — what the Train form shows under the layers, and what
// the services and the CLI check against WebAssembly's memory before they make the run. Pure arithmetic over the
// same sizes the training threads allocate (./core/sizing.ts, ./parallel/split-sizing.ts).
import type { KernelName, TrainConfig } from '../shared/training';
import { arenaBytesFor } from './core/buffers';
import { trainerFloat32Lengths } from './core/sizing';
import { WASM_SCRATCH_BYTES } from './parallel/layout';
import { layerSizesOf, parallelMemoryBytes } from './parallel/split-sizing';

type RunData = { rows: number; inputSize: number; classes: number };

/** Bytes a run on `threads` threads takes to train: one thread's Trainer buffers and the backend's scratch; on
 *  several, the one memory they share (params and moments once, the gradients — one per thread when the batch is
 *  split — and every thread's passes). */
export function trainingBytes(config: TrainConfig, data: RunData, threads = 1, kernels: KernelName = 'wasm'): number {
  if (threads > 1) return parallelMemoryBytes(threads, config, data, kernels);
  return arenaBytesFor(trainerFloat32Lengths(config, data)) + (kernels === 'wasm' ? WASM_SCRATCH_BYTES : 0);
}

/** The most a run's memory holds: wasm32's 4 GiB, less the module's static data and room at its end. */
export const WASM_TRAINING_MAX_BYTES = 4 * 1024 ** 3 - 2 * 65536;

/** Why a run this big cannot train on the WebAssembly kernels, in words for its user, or null when it can. (Found only
 *  when the training thread made its memory, it read "createWasmBackend: maxFloats must be a non-negative integer".) */
export function wasmTrainingProblem(config: TrainConfig, data: RunData, threads = 1): string | null {
  const bytes = trainingBytes(config, data, threads, 'wasm');
  if (bytes <= WASM_TRAINING_MAX_BYTES) return null;
  const layers = layerSizesOf(config, data).map((n) => n.toLocaleString('en-US')).join('-');
  const images = data.inputSize > 65_536 ? `, or smaller images (these have ${data.inputSize.toLocaleString('en-US')} pixels)` : '';
  const onThreads = threads > 1 ? ` on ${threads} threads` : '';
  const fewer = threads > 1 ? 'fewer threads, ' : '';
  return `a ${layers} network needs ${(bytes / 1e9).toFixed(1)} GB to train${onThreads}, and a run holds at most 4.2 GB (WebAssembly's memory): use ${fewer}fewer or narrower layers${images}`;
}
