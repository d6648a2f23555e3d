// The multilayer perceptron: dense layers with activations, softmax output, and a loss. All parameters
// live in one Float32Array sliced by a size table (W1, b1, W2, b2, …); the gradients are built by the
// same function, so an optimizer step is one loop over flat buffers. Every buffer is allocated here,
// once, for at most `maxRows` examples at a time; forward/backward allocate nothing.
import type { Activation, LossName } from '../../shared/training';
import type { Allocator } from './buffers';
import type { Kernels } from './kernels';
import { activationBackward, activationForward, crossEntropyBackward, lossSum, softmaxForward, squaredErrorBackward } from './layers';
import type { Rng } from './rng';

export interface NetworkSpec {
  /** Layer widths [input, …hidden, classes]. */
  layerSizes: number[];
  /** One per hidden layer. */
  activations: Activation[];
  loss: LossName;
}

export interface TensorSlot {
  name: string; // 'W1', 'b1', …
  offset: number;
  length: number;
}

/** The size table: where each W and b sits in the flat parameter buffer. */
export function paramLayout(layerSizes: readonly number[]): { slots: TensorSlot[]; total: number } {
  const slots: TensorSlot[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < layerSizes.length; l++) {
    const C = layerSizes[l];
    const OC = layerSizes[l + 1];
    slots.push({ name: `W${l + 1}`, offset, length: C * OC });
    offset += C * OC;
    slots.push({ name: `b${l + 1}`, offset, length: OC });
    offset += OC;
  }
  return { slots, total: offset };
}

export interface ParamViews {
  /** W[l]: [C_l, OC_l] (inputs × outputs). */
  W: Float32Array[];
  /** b[l]: [OC_l]. */
  b: Float32Array[];
}

/** Named views into one flat buffer laid out by paramLayout — used for params, grads, m and v alike. */
export function viewParams(buffer: Float32Array, layerSizes: readonly number[]): ParamViews {
  const { slots } = paramLayout(layerSizes);
  const view = (s: TensorSlot) => buffer.subarray(s.offset, s.offset + s.length);
  return { W: slots.filter((_, i) => i % 2 === 0).map(view), b: slots.filter((_, i) => i % 2 === 1).map(view) };
}

export interface Network extends NetworkSpec {
  kernels: Kernels;
  /** Most examples one forward/backward pass handles. */
  maxRows: number;
  /** Number of parameters. */
  size: number;
  params: Float32Array;
  grads: Float32Array;
  p: ParamViews;
  g: ParamViews;
  /** input[maxRows, layerSizes[0]]: the examples of the current pass, scaled to 0…1. */
  input: Float32Array;
  /** labels[maxRows]: their classes. */
  labels: Uint8Array;
  /** acts[l][maxRows, layerSizes[l+1]]: layer l's output (after its activation; logits for the last). */
  acts: Float32Array[];
  /** dacts[l]: gradient of the loss w.r.t. acts[l] (then, in place, w.r.t. the pre-activation). */
  dacts: Float32Array[];
  /** probs[maxRows, classes]: softmax of the logits. */
  probs: Float32Array;
}

/**
 * Allocates every buffer of a network for at most maxRows examples per pass. `shared`: use these params
 * and grads instead of allocating them (a data-parallel run's threads share one params buffer).
 */
export function createNetwork(spec: NetworkSpec, maxRows: number, kernels: Kernels, allocator: Allocator, shared?: { params: Float32Array; grads: Float32Array }): Network {
  const { layerSizes } = spec;
  if (layerSizes.length !== spec.activations.length + 2) throw new TypeError('Expected one activation per hidden layer');
  const { total } = paramLayout(layerSizes);
  if (shared && (shared.params.length !== total || shared.grads.length !== total)) {
    throw new RangeError(`a ${layerSizes.join('-')} network has ${total} parameters; the shared params hold ${shared.params.length}, grads ${shared.grads.length}`);
  }
  const params = shared ? shared.params : allocator.allocFloat32(total);
  const grads = shared ? shared.grads : allocator.allocFloat32(total);
  const widths = layerSizes.slice(1);
  return networkOf({
    layerSizes: [...layerSizes],
    activations: [...spec.activations],
    loss: spec.loss,
    kernels,
    maxRows,
    size: total,
    params,
    grads,
    p: viewParams(params, layerSizes),
    g: viewParams(grads, layerSizes),
    input: allocator.allocFloat32(maxRows * layerSizes[0]),
    labels: new Uint8Array(maxRows),
    acts: widths.map((w) => allocator.allocFloat32(maxRows * w)),
    dacts: widths.map((w) => allocator.allocFloat32(maxRows * w)),
    probs: allocator.allocFloat32(maxRows * layerSizes[layerSizes.length - 1]),
  });
}

/**
 * A Network object with exactly these fields, written out in one order. Every network the passes see is
 * made here (createNetwork's, and the variants a data-parallel run makes of it with other buffers), so
 * they share one object shape: code V8 optimized on one is not thrown away when another comes along (a
 * spread copy had another shape, and cost a deoptimization of the passes at the first evaluation).
 */
export function networkOf(n: Network): Network {
  return {
    layerSizes: n.layerSizes,
    activations: n.activations,
    loss: n.loss,
    kernels: n.kernels,
    maxRows: n.maxRows,
    size: n.size,
    params: n.params,
    grads: n.grads,
    p: n.p,
    g: n.g,
    input: n.input,
    labels: n.labels,
    acts: n.acts,
    dacts: n.dacts,
    probs: n.probs,
  };
}

/**
 * Weights ~ N(0, σ²), biases 0. σ = √(2/C) (He) for a layer feeding ReLU, √(2/(C+OC)) (Xavier/Glorot)
 * for sigmoid or tanh. The output layer follows the last hidden activation's rule (ReLU → He, as
 * numpy_ref.py does), or Xavier when there is no hidden layer. Draws W1 row by row, then W2, ….
 */
export function initParams(net: Network, rng: Rng): void {
  net.params.fill(0);
  const L = net.layerSizes.length - 1;
  for (let l = 0; l < L; l++) {
    const C = net.layerSizes[l];
    const OC = net.layerSizes[l + 1];
    const act = l < net.activations.length ? net.activations[l] : net.activations[net.activations.length - 1];
    const std = act === 'relu' ? Math.sqrt(2 / C) : Math.sqrt(2 / (C + OC));
    const W = net.p.W[l];
    for (let i = 0; i < C * OC; i++) W[i] = rng.normal() * std;
  }
}

/**
 * Forward pass over the first B rows of net.input: acts, then probs[B,classes].
 * Returns the loss summed over the B rows (by net.loss) when withLoss, using net.labels; else 0.
 * firstDenseDone: acts[0] already holds the first layer's inp·W + b (computed elsewhere, e.g. in parts
 * by the threads of an input-split run): the pass starts at its activation.
 */
export function networkForward(net: Network, B: number, withLoss: boolean, firstDenseDone = false): number {
  const { kernels, layerSizes, p, acts } = net;
  const L = layerSizes.length - 1;
  for (let l = 0; l < L; l++) {
    const C = layerSizes[l];
    const OC = layerSizes[l + 1];
    const inp = l === 0 ? net.input : acts[l - 1];
    // acts[l][B,OC] = inp[B,C]·W[C,OC] + b
    if (l > 0 || !firstDenseDone) kernels.matmulForward(acts[l], inp, p.W[l], p.b[l], B, C, OC);
    if (l < L - 1) {
      if (net.activations[l] === 'relu' && kernels.reluForward) kernels.reluForward(acts[l], acts[l], B * OC);
      else activationForward(net.activations[l], acts[l], acts[l], B * OC);
    }
  }
  const K = layerSizes[L];
  const labels = withLoss ? net.labels : null;
  const ce = kernels.softmaxForward ? kernels.softmaxForward(net.probs, acts[L - 1], labels, B, K) : softmaxForward(net.probs, acts[L - 1], labels, B, K);
  return withLoss ? lossSum(net.loss, ce, net.probs, net.labels, B, K) : 0;
}

/** How networkBackward writes its gradients. */
export interface BackwardOptions {
  /** Stop at dacts[0] (the gradient w.r.t. the first layer's inp·W + b), leaving the first layer's W and b
   *  gradients to the caller (an input-split run's threads compute them in parts). Default false. */
  skipFirstDense?: boolean;
  /** Add to net.grads (default true: zero them first), or write over whatever they held (false: the same
   *  floats as adding into zeros, without the zeroing). */
  accumulate?: boolean;
}

/**
 * Backward pass after networkForward(net, B, true): the gradient of scale · (loss summed over the B rows)
 * into net.grads, added to them or written over them (options.accumulate); scale = 1 / (rows in the whole
 * batch).
 */
export function networkBackward(net: Network, B: number, scale: number, { skipFirstDense = false, accumulate = true }: BackwardOptions = {}): void {
  const { kernels, layerSizes, p, g, acts, dacts } = net;
  const L = layerSizes.length - 1;
  const K = layerSizes[L];
  if (net.loss === 'cross-entropy') {
    if (kernels.crossEntropyBackward) kernels.crossEntropyBackward(dacts[L - 1], net.probs, net.labels, B, K, scale);
    else crossEntropyBackward(dacts[L - 1], net.probs, net.labels, B, K, scale);
  } else squaredErrorBackward(dacts[L - 1], net.probs, net.labels, B, K, scale);
  for (let l = L - 1; l >= (skipFirstDense ? 1 : 0); l--) {
    const C = layerSizes[l];
    const OC = layerSizes[l + 1];
    const inp = l === 0 ? net.input : acts[l - 1];
    kernels.matmulBackwardWeight(g.W[l], g.b[l], dacts[l], inp, B, C, OC, accumulate); // dW (+)= inpᵀ·dZ, db (+)= Σ dZ
    if (l > 0) {
      kernels.matmulBackwardInput(dacts[l - 1], dacts[l], p.W[l], B, C, OC); // dA[B,C] = dZ·Wᵀ
      // dZ = dA·f′
      if (net.activations[l - 1] === 'relu' && kernels.reluBackward) kernels.reluBackward(dacts[l - 1], dacts[l - 1], acts[l - 1], B * C);
      else activationBackward(net.activations[l - 1], dacts[l - 1], dacts[l - 1], acts[l - 1], B * C);
    }
  }
}

/** 1/255 as float32 for each grey level: input = pixel / 255, the same floats as NumPy's float32 division. */
const PIXEL_SCALE = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/** net.grads = 0 (with the kernels' own zero where they have one: the buffers may live in shared memory,
 *  where a JS fill is slow). */
export function zeroGrads(net: Network): void {
  if (net.kernels.zero) net.kernels.zero(net.grads, net.size);
  else net.grads.fill(0);
}

/**
 * Copies rows order[start…start+count) of a data set into net.input (scaled to 0…1) and net.labels.
 * pixels: [rows, inputSize] bytes; order: row indices (e.g. a shuffled permutation).
 */
export function gatherRows(net: Network, pixels: Uint8Array, labels: Uint8Array | null, order: Uint32Array | null, start: number, count: number): void {
  const D = net.layerSizes[0];
  gatherColumns(net.kernels, net.input, pixels, order, start, count, D, 0, D);
  if (labels) gatherLabels(net.labels, labels, order, start, count);
}

/**
 * out[count, to−from] = columns [from, to) of the rows order[start…start+count) (rows start… when order is
 * null) of pixels[*, D], scaled to 0…1 — the same floats as pixel / 255 in float32.
 */
export function gatherColumns(kernels: Kernels, out: Float32Array, pixels: Uint8Array, order: Uint32Array | null, start: number, count: number, D: number, from: number, to: number): void {
  if (kernels.gatherBatch) return kernels.gatherBatch(out, pixels, order, start, count, D, from, to);
  const width = to - from;
  for (let r = 0; r < count; r++) {
    const src = (order ? order[start + r] : start + r) * D + from;
    const dst = r * width;
    for (let i = 0; i < width; i++) out[dst + i] = PIXEL_SCALE[pixels[src + i]];
  }
}

/** out[count] = labels of the rows order[start…start+count) (rows start… when order is null). */
export function gatherLabels(out: Uint8Array, labels: Uint8Array, order: Uint32Array | null, start: number, count: number): void {
  for (let r = 0; r < count; r++) out[r] = labels[order ? order[start + r] : start + r];
}
