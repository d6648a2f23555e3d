// The work of one input-split step (./input-split.ts), as any of the run's threads takes it: claim forward
// items (a part of the first layer's columns each), then — once all are in — middle items (a slice of the
// batch's rows each: the rest of the network, forward and back), then backward items (each a part of W1's
// rows: its gradient and its update; one more item sums the middle items' gradients of the rest of the
// network and updates it). Each item writes only its own outputs and the partial sums are added in item
// order, so which thread takes which item never changes a bit of the result.
//
// Steps overlap: the leader starts step K+1 once every item of step K is claimed, without waiting for the
// others' last backward items to finish. What step K+1 reads is ordered item by item instead: forward item
// i waits for step K's backward item i (its rows of W1 updated — b1 goes with item 0 — and its X_i
// read), and the middle waits for all of step K's backward items (it overwrites dH and the rest's
// gradients, and reads the rest's updated parameters). Before anyone reads the parameters between steps
// (evaluation, checkpoints), the leader settles: it waits for the last step's items.
//
// Gathers ahead: the pixel columns X_i of a step are gathered once, by whoever claims them first (their own
// slot, gatherClaimSlot): the thread that takes forward item i, or — when the leader published step K+1's
// batch with step K — thread i itself, about to wait inside step K (for the other threads' forward or middle
// items, or, a shard, for the leader's next step). On the 2-vCPU machine the two threads' speeds differ by up
// to ~40% for seconds at a time, so one of them waits 40–65 µs of most steps (medians per epoch), more than a
// gather takes (22–33 µs). X_i is kept twice, by step parity, so that step K+1's is gathered while step K's
// is still read (by step K's backward item i). Which thread gathers changes no bit of X_i.
//
// Thread t tries item t first, every step, so its rows of W1, m, v and the gradient (1 MB for 784-128-10
// on 2 threads) stay with one core; it then tries the others' items, so a thread that is late
// (descheduled) has its item done for it instead of holding the step. (On the 2-vCPU machine this was
// built on, an item took about 1.4× its one-thread time while both cores worked, however items were dealt.)
import type { Kernels } from '../core/kernels';
import { gatherColumns, gatherLabels, type Network, networkBackward, networkForward, networkOf, type ParamViews, viewParams } from '../core/network';
import { applyOptimizer, type OptimizerBuffers, optimizerRange, type OptimizerSettings } from '../core/optimizers';
import type { TrainingData } from '../core/trainer';
import { backwardDoneSlot, type Batch, batchOf, type Channel, gatherClaimSlot, gatheredSlot, itemSlot, MIDDLE_DONE, RANGES_DONE, sliceOf, SLICES_DONE, STEP, STEP_INDEX } from './channel';
import { bufferOf } from './memory';
import { type ExchangeViews, exchangeFloats, exchangeViews, type InputSplit, restParamsOf } from './input-split';
import type { StepPart, Waiter } from './step';

/** Middle item r for a batch of `count` rows: its network (see middleByCount), and its rows R_r of each
 *  partial_i[B,OC] (partials[0] is the network's acts[0]). */
interface MiddleItem {
  net: Network;
  partials: Float32Array[];
}

/** What every item of a step reads of its inputs: its batch, and the optimizer's step t (Adam's bias
 *  correction). */
interface StepInputs extends Batch {
  t: number;
}

/** The inputs of a step whose batch is no longer in the channel: a thread that reads them is so late that
 *  every item of its step was claimed (the batch's slots are reused only after that), so it uses none. */
const LATE: Batch = { order: null, start: 0, count: 0 };

/** Claims item i of step K (its slot holds the last step that claimed it); false when it is taken. */
function claimItem(control: Int32Array, at: number, K: number): boolean {
  for (;;) {
    const last = Atomics.load(control, at);
    if (last >= K) return false;
    if (Atomics.compareExchange(control, at, last, K) === last) return true;
  }
}

/**
 * Thread `self`'s part in the steps of an input-split run. net: this thread's network on the shared params
 * and grads (its own activations); batch: the most rows a step has. A class, so its methods are the same
 * functions in every run of the thread. A part made of closures was new functions in each run: V8 threw
 * away the step's optimized code at a thread's second run and compiled it again while that run trained.
 * Measured with --trace-opt over a thread's second run: 75 compiles (275 ms) with closures here, in the
 * leader and in the shard; 61 (187 ms) with classes; 32 (107 ms) once each thread also kept its WebAssembly
 * backend (../wasm/backend.ts keptBackend). A third run compiles nothing.
 */
export class InputSplitPart implements StepPart {
  readonly overlapsNext = true;
  private readonly c: Int32Array;
  private readonly T: number;
  private readonly bounds: readonly number[];
  private readonly C: number;
  private readonly OC: number;
  /** The parameters after W1 and b1: the middle items' gradients, updated by the extra backward item. */
  private readonly restFrom: number;
  private readonly ex: ExchangeViews;
  /** What the optimizer updates of b1 (right after W1), and of the rest of the network (restUpdate.grads:
   *  the rest's gradient, summed from the middle items'). */
  private readonly biasUpdate: OptimizerBuffers;
  private readonly restUpdate: OptimizerBuffers;
  /** Middle item r's gradient views: the rest of the network's W and b in restGrads_r (the first layer's are
   *  never written by a pass that skips its dense part; they point at the run's own, untouched). */
  private readonly middleGrads: ParamViews[];
  /** Middle item r for a batch of `count` rows. Its network: its rows R_r of H (partial[0], where the item
   *  sums the partials and applies the activation in place) as acts[0], of dH as dacts[0]; the rest of its
   *  buffers this thread's own; its gradient middleGrads[r]. And its rows of the partials. Made once per
   *  batch size (an epoch's last batch may be shorter) and kept: remade, they cost a deoptimization of the
   *  middle items and the network passes at every change of batch size (measured with --trace-deopt: after
   *  each of the first epochs). */
  private readonly middleByCount = new Map<number, MiddleItem[]>();
  /** Item i's columns of X and rows of W1 (W1 is first in the layout, b1 right after it): how many, W1's and
   *  its gradient's views of those rows, and what the optimizer updates of them. Fixed for the run (views
   *  made once: a step makes no garbage there). */
  private readonly items: { columns: number; weight: Float32Array; dweight: Float32Array; update: OptimizerBuffers }[];
  /** Forward (and middle) items in the order this thread tries them: its own, then the others'. */
  private readonly forwardOrder: number[];
  /** Backward items: its own, the rest of the network's update (T), then the others'. */
  private readonly backwardOrder: number[];

  constructor(
    private readonly ch: Channel,
    split: InputSplit,
    private readonly data: Pick<TrainingData, 'pixels' | 'labels'>,
    private readonly kernels: Kernels,
    private readonly optimizer: OptimizerSettings,
    private readonly net: Network,
    batch: number,
    private readonly self: number,
  ) {
    this.c = ch.control;
    const T = (this.T = ch.threads);
    this.bounds = split.bounds;
    const [C, OC] = net.layerSizes;
    this.C = C;
    this.OC = OC;
    const { layout } = ch.buffers;
    if (layout.exchange === null) throw new TypeError('an input-split run needs the exchange region in its shared memory');
    this.restFrom = (C + 1) * OC;
    const sizes = { batch, OC, restParams: restParamsOf(net.layerSizes) };
    const needFloats = exchangeFloats(split, sizes);
    if (needFloats > layout.exchangeFloats) {
      throw new RangeError(`an input-split exchange region for batches of ${batch} rows needs ${needFloats} floats; the layout has ${layout.exchangeFloats}`);
    }
    if (batch > net.maxRows) throw new RangeError(`an input-split step takes its whole batch in one pass: ${batch} rows exceed the network's ${net.maxRows}`);
    this.ex = exchangeViews(bufferOf(ch.buffers.memory), layout.exchange, split, sizes);
    const buffers = { params: net.params, grads: net.grads, m: ch.views.m, v: ch.views.v };
    this.biasUpdate = optimizerRange(buffers, C * OC, this.restFrom);
    this.restUpdate = optimizerRange(buffers, this.restFrom, net.size);
    this.middleGrads = this.ex.restGrads.map((rest) => {
      const { W, b } = viewParams(rest, net.layerSizes.slice(1)); // W2, b2, …
      return { W: [net.g.W[0], ...W], b: [net.g.b[0], ...b] };
    });
    this.items = Array.from({ length: T }, (_, i) => {
      const update = optimizerRange(buffers, split.bounds[i] * OC, split.bounds[i + 1] * OC); // W1 is first in the layout
      return { columns: split.bounds[i + 1] - split.bounds[i], weight: update.params, dweight: update.grads, update };
    });
    this.forwardOrder = Array.from({ length: T }, (_, j) => (self + j) % T);
    this.backwardOrder = [self, T, ...this.forwardOrder.slice(1)];
  }

  take(K: number, waiter: Waiter): void {
    const { T } = this;
    const inputs = this.stepInputs(K);
    this.forwardItems(K, inputs, waiter);
    this.gatherAhead(K, SLICES_DONE, T * K);
    waiter.waitAtLeast(SLICES_DONE, T * K);
    waiter.waitAtLeast(RANGES_DONE, (T + 1) * (K - 1)); // step K−1's backward items (they read dH and the rest's gradients)
    this.middleItems(K, inputs);
    this.gatherAhead(K, MIDDLE_DONE, T * K);
    waiter.waitAtLeast(MIDDLE_DONE, T * K);
    this.backwardItems(K, inputs);
    // a shard next waits for the leader to publish step K+1 (the leader goes on to it at once)
    if (this.self !== 0) this.gatherAhead(K, STEP_INDEX, K + 1);
  }

  done(K: number): { at: number; target: number } {
    return { at: RANGES_DONE, target: (this.T + 1) * K };
  }

  loss(): number {
    let sum = 0;
    for (let r = 0; r < this.T; r++) sum += this.ch.losses[r];
    return sum;
  }

  /** Step K's batch and optimizer step, read when a thread starts on step K. (If the leader has
   *  published a later step meanwhile, every item of K was claimed before it did, so this thread does none
   *  of K's items with them.) */
  private stepInputs(K: number): StepInputs {
    return { ...(batchOf(this.ch, K) ?? LATE), t: this.c[STEP] };
  }

  private forwardItems(K: number, inputs: StepInputs, waiter: Waiter): void {
    const { c, T, ex, net, kernels } = this;
    for (const i of this.forwardOrder) {
      if (Atomics.load(c, itemSlot(T, i)) >= K) continue; // taken
      waiter.waitAtLeast(backwardDoneSlot(T, i), K - 1); // its rows of W1 updated
      if (!claimItem(c, itemSlot(T, i), K)) continue;
      const x = this.gathered(K, i, inputs, waiter);
      // partial_i[B,OC] = X_i[B,K_i]·W1[K_i rows, OC] (+ b1 once, in item 0)
      const { weight, columns } = this.items[i];
      kernels.matmulForward(ex.partial[i], x, weight, i === 0 ? net.p.b[0] : ex.zeroBias, inputs.count, columns, this.OC);
      Atomics.add(c, SLICES_DONE, 1);
    }
  }

  /** Step K's X_i: gathered now, unless it was gathered ahead (or is being gathered: then waits for it). */
  private gathered(K: number, i: number, batch: Batch, waiter: Waiter): Float32Array {
    const { c, T } = this;
    const done = gatheredSlot(T, i, K & 1);
    if (Atomics.load(c, done) < K) {
      if (claimItem(c, gatherClaimSlot(T, i), K)) this.gather(K, i, batch);
      else waiter.waitAtLeast(done, K);
    }
    return this.ex.x[K & 1][i];
  }

  /** X_i of step K (parity K & 1) from `batch`, once claimed; then marks it gathered. */
  private gather(K: number, i: number, { order, start, count }: Batch): void {
    const { bounds } = this;
    gatherColumns(this.kernels, this.ex.x[K & 1][i], this.data.pixels, order, start, count, this.C, bounds[i], bounds[i + 1]);
    Atomics.store(this.c, gatheredSlot(this.T, i, K & 1), K);
  }

  /** Inside step K, after its forward items, if control[at] < target (the wait this thread is about to
   *  begin): gathers its own X_i of step K+1 ahead, when the leader published K+1's batch. (Its own only:
   *  gathering the others' too was slower, measured — X_i then sits in the wrong core's cache.) That parity's
   *  X_i was step K−1's, which its backward item i has finished reading: every forward item of step K was
   *  claimed only after that (forwardItems), and this thread has been through them all. */
  private gatherAhead(K: number, at: number, target: number): void {
    const { c, T, self: i } = this;
    if (Atomics.load(c, at) >= target) return;
    // read before the claim: the batch's slots are reused only after step K+1, which needs this gather
    const next = batchOf(this.ch, K + 1);
    // K+1 only once K is claimed: the thread whose forward item takes X_i of step K may not have claimed
    // its gather yet (a claim of K+1 first would leave step K's X_i ungathered)
    if (next && Atomics.compareExchange(c, gatherClaimSlot(T, i), K, K + 1) === K) this.gather(K + 1, i, next);
  }

  /** Middle items in the order this thread tries them: its own, then the others'. */
  private middleItems(K: number, { order, start, count }: StepInputs): void {
    const { c, T, OC, ex, kernels } = this;
    for (const r of this.forwardOrder) {
      if (!claimItem(c, itemSlot(T, 2 * T + 1 + r), K)) continue;
      const { first, end } = sliceOf(r, T, count);
      const rows = end - first;
      const { net: mid, partials } = this.middleItem(r, count);
      if (rows > 0) {
        const H = mid.acts[0];
        for (let i = 1; i < T; i++) kernels.sgdStep(H, partials[i], -1, rows * OC); // H += partial_i (H − (−1)·p, exact)
        gatherLabels(mid.labels, this.data.labels, order, start + first, rows);
        this.ch.losses[r] = networkForward(mid, rows, true, true);
        networkBackward(mid, rows, 1 / count, { skipFirstDense: true, accumulate: false }); // restGrads_r written, not added to
      } else {
        this.zero(ex.restGrads[r]);
        this.ch.losses[r] = 0;
      }
      Atomics.add(c, MIDDLE_DONE, 1);
    }
  }

  private backwardItems(K: number, { count, t }: StepInputs): void {
    const { c, T, OC, restFrom, ex, net, kernels, optimizer } = this;
    const n = net.size;
    for (const i of this.backwardOrder) {
      if (!claimItem(c, itemSlot(T, T + i), K)) continue;
      if (i < T) {
        const { columns, dweight, update } = this.items[i];
        const dbias = i === 0 ? net.g.b[0] : ex.spareBias[i - 1]; // b1's gradient once, in item 0 (which adds b1 in the forward)
        // dW1[K_i rows, OC] = X_iᵀ[K_i,B]·dH[B,OC]  (written over the last step's: no zeroing)
        kernels.matmulBackwardWeight(dweight, dbias, ex.dout, ex.x[K & 1][i], count, columns, OC, false);
        applyOptimizer(kernels, optimizer, update, t);
        if (i === 0) applyOptimizer(kernels, optimizer, this.biasUpdate, t); // b1 (right after W1)
      } else if (restFrom < n) {
        // the rest's gradient: restGrads_0 + restGrads_1 + … in order (g − (−1)·p adds exactly)
        const rest = this.restUpdate.grads;
        this.zero(rest);
        for (let r = 0; r < T; r++) kernels.sgdStep(rest, ex.restGrads[r], -1, n - restFrom);
        applyOptimizer(kernels, optimizer, this.restUpdate, t);
      }
      Atomics.store(c, backwardDoneSlot(T, i), K);
      Atomics.add(c, RANGES_DONE, 1);
    }
  }

  private middleItem(r: number, count: number): MiddleItem {
    let items = this.middleByCount.get(count);
    if (!items) {
      const { net, ex, T, OC } = this;
      items = Array.from({ length: T }, (_, q) => {
        const { first, end } = sliceOf(q, T, count);
        const rows = (x: Float32Array) => x.subarray(first * OC, end * OC);
        const mid = networkOf({ ...net, acts: [rows(ex.partial[0]), ...net.acts.slice(1)], dacts: [rows(ex.dout), ...net.dacts.slice(1)], g: this.middleGrads[q] });
        return { net: mid, partials: ex.partial.map(rows) };
      });
      this.middleByCount.set(count, items);
    }
    return items[r];
  }

  private zero(x: Float32Array): void {
    if (this.kernels.zero) this.kernels.zero(x, x.length);
    else x.fill(0);
  }
}
