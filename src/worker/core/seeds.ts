// A run's seed drives two independent random streams: its initial weights and its batch order. So the
// weights a run started from can be drawn again from its seed alone (initialWeights), e.g. to show what
// its training changed.
import { defaultAllocator } from './buffers';
import { plainKernels } from './kernels-plain';
import { createNetwork, initParams, type NetworkSpec } from './network';
import { Rng } from './rng';

export const SEED_STREAM_INIT = 1;
export const SEED_STREAM_SHUFFLE = 2;

/** The weights a run of this network and seed starts from, exactly as the Trainer draws them. */
export function initialWeights(spec: NetworkSpec, seed: number): Float32Array {
  const net = createNetwork(spec, 1, plainKernels, defaultAllocator);
  initParams(net, new Rng(seed, SEED_STREAM_INIT));
  return net.params;
}
