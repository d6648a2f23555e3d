// Which part a thread takes in a multi-threaded run's steps, by how the run is split (the channel says):
// by the batch's rows (./step.ts) or by the first layer's inputs (./input-step.ts).
import type { Kernels } from '../core/kernels';
import type { Network } from '../core/network';
import type { OptimizerSettings } from '../core/optimizers';
import type { TrainingData } from '../core/trainer';
import type { Channel } from './channel';
import { InputSplitPart } from './input-step';
import { BatchSplitPart, sliceNetworks, type StepPart } from './step';

/** Thread `self`'s part (0: the leader). net: its network on the run's shared params and grads_0 (the
 *  leader's is the Trainer's). */
export function stepPartFor(ch: Channel, data: Pick<TrainingData, 'pixels' | 'labels'>, kernels: Kernels, optimizer: OptimizerSettings, net: Network, self: number): StepPart {
  const split = ch.buffers.split;
  if (split) return new InputSplitPart(ch, split, data, kernels, optimizer, net, ch.rowLists[0].length, self);
  return new BatchSplitPart({ ch, data, kernels, optimizer, nets: sliceNetworks(net, ch) });
}
