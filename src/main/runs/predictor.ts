// A trained run's network as a function from one image to its class probabilities — what the Draw view
// asks after every stroke. Built once from the run's saved weights (0.9 ms) and kept while they stay the
// same; plain kernels, since one 784-pixel image through 784-128-10 takes 0.4 ms (measured).
import type { TrainConfig } from '../../shared/training';
import { defaultAllocator } from '../../worker/core/buffers';
import { plainKernels } from '../../worker/core/kernels-plain';
import { createNetwork, gatherRows, networkForward, type Network } from '../../worker/core/network';
import { copyInPieces, inTurns } from './predict-dev';

/** probabilities[k] of each class for one image of `inputSize` grey levels (0–255, row-major). */
export type Predictor = (pixels: Uint8Array) => number[];

/** The weights a predictor is built from: a saved state's, or a model file's. */
export interface PredictorWeights {
  layerSizes: readonly number[];
  params: Float32Array;
}

export function createPredictor(config: TrainConfig, state: PredictorWeights): Predictor {
  const { net, predict } = emptyPredictor(config, state);
  net.params.set(state.params);
  return predict;
}

/** createPredictor's predictor, its weights copied in pieces with a turn of the event loop after each: a big
 *  network's (tens of millions of weights) would hold the services' thread ~0.5 s in one piece. */
export async function createPredictorInTurns(config: TrainConfig, state: PredictorWeights): Promise<Predictor> {
  const { net, predict } = emptyPredictor(config, state);
  await inTurns(copyInPieces(net.params, state.params));
  return predict;
}

/** The predictor over a network whose weights are still to be written into `net.params`. */
function emptyPredictor(config: TrainConfig, state: PredictorWeights): { net: Network; predict: Predictor } {
  const layerSizes = state.layerSizes;
  if (layerSizes.length !== config.hidden.length + 2) throw new TypeError(`the saved weights are for a ${layerSizes.join('-')} network, not this run's`);
  const net = createNetwork({ layerSizes: [...layerSizes], activations: config.hidden.map((h) => h.activation), loss: config.loss }, 1, plainKernels, defaultAllocator);
  if (state.params.length !== net.size) throw new TypeError(`the saved weights hold ${state.params.length} numbers, the network has ${net.size}`);
  const inputSize = layerSizes[0];
  const K = layerSizes[layerSizes.length - 1];
  const predict: Predictor = (pixels) => {
    if (pixels.length !== inputSize) throw new RangeError(`the network takes images of ${inputSize} pixels, got ${pixels.length}`);
    gatherRows(net, pixels, null, null, 0, 1);
    networkForward(net, 1, false);
    return Array.from(net.probs.subarray(0, K));
  };
  return { net, predict };
}
