// Input split: the other way one run uses several threads (the batch split is ./step.ts). A network on
// images does nearly all its work in its first layer (784-128-10: 99% of the multiply-adds and of the
// parameters), so the threads cut that layer by its inputs. Item i of T owns the pixel columns
// [bounds[i], bounds[i+1]) — the rows of W1 with those indices, a contiguous range of the parameters:
//
//   forward items i:  X_i[B, K_i] = the batch's columns;  partial_i[B, OC] = X_i · W1[rows of i]  (+ b1 for i = 0)
//   middle items r:   for the batch's rows R_r (slice r of T): H[R_r] = partial_0 + partial_1 + … on those rows;
//                     the rest of the network forward on them, their loss, backward to dH[R_r, OC] (w.r.t. H)
//                     and the rest's gradient from those rows into restGrads_r
//   backward items i: dW1[rows of i] = X_i^T · dH;  the optimizer on those rows (item 0: on b1 too);
//                     one more item sums restGrads_0 + restGrads_1 + … (in order) and updates the rest
//
// The first layer's gradient is never summed across threads (each parameter's is computed by one item),
// and its GEMMs keep the whole batch's rows; only the rest of the network (784-128-10: 1,290 parameters)
// has its gradient summed from the middle items. The columns are balanced by their non-zero pixels (the
// GEMMs skip zeros), so each item costs about the same. The middle is cut by rows so that its serial work
// (the small layers' GEMMs, the softmax: ~60 µs a step on 784-128-10) is shared too. The exchange region
// of the shared memory holds X_i (twice: by step parity, so that step K+1's can be gathered during step
// K), partial_i, dH and restGrads_r.
// Pure: views over the shared memory, no threads here.
import { paramLayout } from '../core/network';

/** Where the columns are cut: bounds[0] = 0 < bounds[1] < … < bounds[T] = C (the input size). */
export interface InputSplit {
  bounds: number[];
}

/** Cuts land on multiples of this many columns when every item gets at least a few of them. */
const CUT_ALIGN = 4;
/** Rows sampled (evenly spaced) to count each column's non-zero pixels: at most this many. */
const SAMPLE_ROWS = 2048;

/**
 * T items of contiguous columns of pixels[rows, D] with about equal numbers of non-zero pixels (counted on
 * up to SAMPLE_ROWS rows; columns that are always zero cost nothing, but every column costs a little, so
 * each counts at least 1/16 of the mean column). Every item has at least one column (needs D ≥ T).
 */
export function balancedSplit(pixels: Uint8Array, rows: number, D: number, T: number): InputSplit {
  if (!(Number.isInteger(T) && T >= 1 && Number.isInteger(D) && D >= T)) throw new RangeError(`cannot cut ${D} input columns into ${T} parts of at least one column`);
  const weight = new Float64Array(D);
  const step = Math.max(1, Math.ceil(rows / SAMPLE_ROWS));
  for (let r = 0; r < rows; r += step) {
    const row = r * D;
    for (let d = 0; d < D; d++) if (pixels[row + d] !== 0) weight[d]++;
  }
  let total = 0;
  for (let d = 0; d < D; d++) total += weight[d];
  const floor = total / D / 16 || 1;
  total = 0;
  for (let d = 0; d < D; d++) total += weight[d] = Math.max(weight[d], floor);
  const align = D >= 4 * CUT_ALIGN * T ? CUT_ALIGN : 1;
  const bounds = [0];
  let cumulative = 0;
  let d = 0;
  for (let i = 1; i < T; i++) {
    const target = (i * total) / T;
    while (d < D && cumulative + weight[d] / 2 < target) cumulative += weight[d++];
    // aligned, after the previous cut, leaving at least one column per remaining item
    const cut = Math.min(Math.max(Math.round(d / align) * align, bounds[i - 1] + 1), D - (T - i));
    bounds.push(cut);
  }
  bounds.push(D);
  return { bounds };
}

/** The sizes the exchange region is laid out for. */
export interface ExchangeSizes {
  /** Most rows a batch has. */
  batch: number;
  /** OC: the first layer's outputs. */
  OC: number;
  /** Parameters after the first layer's W and b (the rest of the network). */
  restParams: number;
}

/** The parameters after the first layer's W and b: what the middle items' gradients cover (laid out as
 *  a network of the layers after the first is). */
export function restParamsOf(layerSizes: readonly number[]): number {
  return paramLayout(layerSizes.slice(1)).total;
}

/** Float32s of the exchange region. */
export function exchangeFloats(split: InputSplit, sizes: ExchangeSizes): number {
  return exchangeOffsets(split, sizes).floats;
}

/** The exchange region's arrays (views made by each thread over the shared memory). */
export interface ExchangeViews {
  /** x[p][i][batch, K_i]: item i's columns of the batch of a step of parity p (K & 1), scaled to 0…1. */
  x: [Float32Array[], Float32Array[]];
  /** partial[i][batch, OC]: X_i · W1[rows of i] (+ b1 for i = 0); the middle sums them into partial[0]
   *  (H = inp·W1 + b1), then applies the first layer's activation to it in place. */
  partial: Float32Array[];
  /** dout[batch, OC]: the loss's gradient w.r.t. H (after the first layer's activation's backward). */
  dout: Float32Array;
  /** zeroBias[OC]: zeros, the bias of the forward items after the first (never written). */
  zeroBias: Float32Array;
  /** spareBias[i][OC], i < T − 1: where backward item i + 1's GEMM sums a bias gradient nobody reads
   *  (item 0's is b1's real gradient). */
  spareBias: Float32Array[];
  /** restGrads[r][restParams]: the rest of the network's gradient from middle item r's rows (laid out as
   *  the parameters after W1 and b1 are). */
  restGrads: Float32Array[];
}

export function exchangeViews(buffer: ArrayBufferLike, at: number, split: InputSplit, sizes: ExchangeSizes): ExchangeViews {
  const { batch, OC, restParams } = sizes;
  const o = exchangeOffsets(split, sizes);
  const view = (offset: number, length: number) => new Float32Array(buffer, at + 4 * offset, length);
  return {
    x: [0, 1].map((p) => o.x[p].map((offset, i) => view(offset, batch * (split.bounds[i + 1] - split.bounds[i])))) as [Float32Array[], Float32Array[]],
    partial: o.partial.map((offset) => view(offset, batch * OC)),
    dout: view(o.dout, batch * OC),
    zeroBias: view(o.zeroBias, OC),
    spareBias: o.spareBias.map((offset) => view(offset, OC)),
    restGrads: o.restGrads.map((offset) => view(offset, restParams)),
  };
}

/** Each array's offset in float32s from the region's start, on 16-float (64-byte) boundaries. */
function exchangeOffsets(split: InputSplit, { batch, OC, restParams }: ExchangeSizes): { x: number[][]; partial: number[]; dout: number; zeroBias: number; spareBias: number[]; restGrads: number[]; floats: number } {
  let floats = 0;
  const take = (n: number) => {
    const at = floats;
    floats += Math.ceil(n / 16) * 16;
    return at;
  };
  const T = split.bounds.length - 1;
  const x = [0, 1].map(() => Array.from({ length: T }, (_, i) => take(batch * (split.bounds[i + 1] - split.bounds[i]))));
  const partial = Array.from({ length: T }, () => take(batch * OC));
  const dout = take(batch * OC);
  const zeroBias = take(OC);
  const spareBias = Array.from({ length: T - 1 }, () => take(OC));
  const restGrads = Array.from({ length: T }, () => take(restParams));
  return { x, partial, dout, zeroBias, spareBias, restGrads, floats };
}
