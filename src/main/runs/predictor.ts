// A trained run's network as a function from one image to its class probabilities — what the Draw view
// asks after every stroke. Built once from the run's saved weights (0.9 ms) and kept while they stay the
// same; plain kernels, since one 784-pixel image through 784-128-10 takes 0.4 ms (measured).
import type { TrainConfig, TrainerState } from '../../shared/training';
import { defaultAllocator } from '../../worker/core/buffers';
import { plainKernels } from '../../worker/core/kernels-plain';
import { createNetwork, gatherRows, networkForward } from '../../worker/core/network';

/** probabilities[k] of each class for one image of `inputSize` grey levels (0–255, row-major). */
export type Predictor = (pixels: Uint8Array) => number[];

export function createPredictor(config: TrainConfig, state: TrainerState): Predictor {
  const layerSizes = state.layerSizes;
  if (layerSizes.length !== config.hidden.length + 2) throw new TypeError(`the saved weights are for a ${layerSizes.join('-')} network, not this run's`);
  const net = createNetwork({ layerSizes, activations: config.hidden.map((h) => h.activation), loss: config.loss }, 1, plainKernels, defaultAllocator);
  if (state.params.length !== net.size) throw new TypeError(`the saved weights hold ${state.params.length} numbers, the network has ${net.size}`);
  net.params.set(state.params);
  const inputSize = layerSizes[0];
  const K = layerSizes[layerSizes.length - 1];
  return (pixels) => {
    if (pixels.length !== inputSize) throw new RangeError(`the network takes images of ${inputSize} pixels, got ${pixels.length}`);
    gatherRows(net, pixels, null, null, 0, 1);
    networkForward(net, 1, false);
    return Array.from(net.probs.subarray(0, K));
  };
}
