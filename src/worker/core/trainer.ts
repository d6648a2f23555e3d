// A training run in memory: the network, its optimizer state, the batch order, and the counters.
// One step() = one optimizer update on one batch. A batch larger than the network's buffers (e.g. full
// batch on 59,000 rows) runs as several passes of at most `maxRows` rows whose gradients accumulate,
// so memory stays flat and the update is the same as one pass over the whole batch.
import type { DevPredictions, Metrics, TrainConfig, TrainerState } from '../../shared/training';
import { type Allocator, defaultAllocator } from './buffers';
import type { Kernels } from './kernels';
import { plainKernels } from './kernels-plain';
import { argmax, emptyConfusion, perClassMetrics } from './metrics';
import { createNetwork, gatherRows, initParams, type Network, networkBackward, networkForward } from './network';
import { SEED_STREAM_INIT, SEED_STREAM_SHUFFLE } from './seeds';
import { applyOptimizer } from './optimizers';
import { Rng } from './rng';
import { checkData, checkSet } from './data-checks';
import type { ParallelTraining } from './parallel-training';
import { passRows, plannedSteps } from './sizing';

/** The labelled examples a Trainer learns from; the first config.devRows rows are the dev set. */
export interface TrainingData {
  /** rows × inputSize grey levels 0–255 (scaled by 1/255 when a batch is gathered). */
  pixels: Uint8Array;
  /** rows class indices 0…classes−1. */
  labels: Uint8Array;
  rows: number;
  inputSize: number;
  classes: number;
}

export interface TrainerOptions {
  /** Default: plainKernels. */
  kernels?: Kernels;
  /** Where every Float32Array comes from. Default: new Float32Array. */
  allocator?: Allocator;
  /** Continue a run from a checkpoint instead of initialising. */
  state?: TrainerState;
  /** Train with other threads (src/worker/parallel); default: this thread alone. */
  parallel?: ParallelTraining;
}

/**
 * net.grads = the gradient of (loss summed over the `count` ≥ 1 rows order[start…start+count), or start…
 * when order is null) / batchRows, in passes of at most net.maxRows rows (the first writes it, the others
 * add to it: no zeroing first); returns the loss sum. batchRows is the whole batch's size, so gradients of
 * parts of one batch add up to the batch mean's.
 */
export function computeGradient(net: Network, data: Pick<TrainingData, 'pixels' | 'labels'>, order: Uint32Array | null, start: number, count: number, batchRows: number): number {
  if (!(count >= 1)) throw new RangeError(`computeGradient needs at least one row, got ${count}`);
  let lossSum = 0;
  for (let done = 0; done < count; done += net.maxRows) {
    const rows = Math.min(net.maxRows, count - done);
    gatherRows(net, data.pixels, data.labels, order, start + done, rows);
    lossSum += networkForward(net, rows, true);
    networkBackward(net, rows, 1 / batchRows, { accumulate: done > 0 });
  }
  return lossSum;
}

export interface Predictions {
  /** predicted[rows]: the most probable class of each example. */
  predicted: Uint8Array;
  /** probabilities[rows, classes]: the softmax output. */
  probabilities: Float32Array;
}


export class Trainer {
  readonly config: TrainConfig;
  readonly net: Network;
  readonly classes: number;
  readonly inputSize: number;
  /** Dev rows (the first ones) and training rows (the rest). */
  readonly devRows: number;
  readonly trainRows: number;
  /** Examples per step (the whole training set for 'full'). */
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  /** Steps the whole run takes (epochs × stepsPerEpoch, or the iteration count). */
  readonly totalSteps: number;
  /** Optimizer steps taken (Adam's t). */
  steps = 0;
  /** Whole epochs completed. */
  epoch = 0;
  /** Steps taken in the current epoch. */
  stepInEpoch = 0;
  /** Mean training loss of the last completed epoch, or null before the first ends. */
  lastEpochTrainLoss: number | null = null;

  private readonly data: TrainingData;
  private readonly parallel: ParallelTraining | null;
  private readonly m: Float32Array | null;
  private readonly v: Float32Array | null;
  /** Absolute row indices of the training rows in this epoch's order; null = in file order (full batch). */
  private readonly order: Uint32Array | null;
  private readonly shuffleRng: Rng;
  private epochStartRng: number[];
  private epochLossSum = 0;
  private epochRows = 0;
  /** 0, 1, 2, …: the row order evaluate and predict gather by (see inFileOrder). */
  private fileOrder = new Uint32Array(0);

  constructor(config: TrainConfig, data: TrainingData, options: TrainerOptions = {}) {
    checkData(config, data);
    const kernels = options.kernels ?? plainKernels;
    const allocator = options.allocator ?? defaultAllocator;
    this.config = config;
    this.data = data;
    this.parallel = options.parallel ?? null;
    this.classes = data.classes;
    this.inputSize = data.inputSize;
    this.devRows = config.devRows;
    ({ trainRows: this.trainRows, batchSize: this.batchSize, stepsPerEpoch: this.stepsPerEpoch, totalSteps: this.totalSteps } = plannedSteps(config, data.rows));
    const layerSizes = [data.inputSize, ...config.hidden.map((h) => h.units), data.classes];
    const maxRows = passRows(this.batchSize);
    const par = this.parallel;
    this.net = createNetwork({ layerSizes, activations: config.hidden.map((h) => h.activation), loss: config.loss }, maxRows, kernels, allocator, par ?? undefined);
    const opt = config.optimizer;
    const moment = (name: 'm' | 'v') => {
      if (!par) return allocator.allocFloat32(this.net.size);
      const x = par[name];
      if (x?.length !== this.net.size) throw new RangeError(`the data-parallel run's ${name} holds ${x?.length ?? 0} numbers, the ${opt} optimizer needs ${this.net.size}`);
      return x;
    };
    this.m = opt === 'momentum' || opt === 'adam' ? moment('m') : null;
    this.v = opt === 'rmsprop' || opt === 'adam' ? moment('v') : null;
    this.order = this.stepsPerEpoch > 1 ? new Uint32Array(this.trainRows) : null;
    this.shuffleRng = new Rng(config.seed, SEED_STREAM_SHUFFLE);
    this.epochStartRng = this.shuffleRng.getState();
    if (options.state) {
      this.restore(options.state);
    } else {
      initParams(this.net, new Rng(config.seed, SEED_STREAM_INIT));
      this.beginEpoch();
    }
  }

  /** True once totalSteps steps were taken. */
  get done(): boolean {
    return this.steps >= this.totalSteps;
  }

  /** Mean training loss so far in the current epoch (NaN before its first step). */
  get currentEpochLoss(): number {
    return this.epochLossSum / this.epochRows;
  }

  /** Examples in the next step's batch (the last batch of an epoch may be smaller). */
  get nextBatchRows(): number {
    return this.batchRowsAt(this.stepInEpoch);
  }

  /** Examples in the batch of an epoch's step s (0-based). */
  private batchRowsAt(s: number): number {
    return Math.min(this.batchSize, this.trainRows - s * this.batchSize);
  }

  /** One optimizer update on the next batch; returns the batch's mean loss (before the update). */
  step(): number {
    if (this.done) throw new Error(`the run is finished (${this.totalSteps} steps)`);
    const net = this.net;
    const B = this.nextBatchRows;
    const first = this.stepInEpoch * this.batchSize;
    const start = this.order ? first : this.devRows + first;
    let lossSum: number;
    if (this.parallel) {
      // the next step's batch, when it is in this epoch's order (the next epoch's is drawn after this step)
      const next = this.stepInEpoch + 1 < this.stepsPerEpoch && this.steps + 1 < this.totalSteps ? { start: start + B, count: this.batchRowsAt(this.stepInEpoch + 1) } : null;
      lossSum = this.parallel.step(net, this.order, start, B, ++this.steps, next);
    } else {
      lossSum = computeGradient(net, this.data, this.order, start, B, B);
      this.steps++;
      applyOptimizer(net.kernels, this.config, { params: net.params, grads: net.grads, m: this.m, v: this.v }, this.steps, 0, net.size);
    }
    this.epochLossSum += lossSum;
    this.epochRows += B;
    this.stepInEpoch++;
    if (this.stepInEpoch === this.stepsPerEpoch) {
      this.epoch++;
      this.stepInEpoch = 0;
      this.lastEpochTrainLoss = this.epochLossSum / this.epochRows;
      this.epochLossSum = 0;
      this.epochRows = 0;
      this.beginEpoch();
    }
    return lossSum / B;
  }

  /** Draws this epoch's order from the shuffle stream (remembering the stream's state for checkpoints). */
  private beginEpoch(): void {
    this.epochStartRng = this.shuffleRng.getState();
    if (!this.order) return;
    countFrom(this.order, this.devRows);
    this.shuffleRng.shuffle(this.order);
  }

  /** Loss, accuracy, confusion and per-class metrics on any labelled set, in passes of maxRows rows; with
   *  `record` (arrays of at least `rows`), also each example's predicted class and its probability. */
  evaluate(pixels: Uint8Array, labels: Uint8Array, rows: number, record?: DevPredictions): Metrics {
    this.parallel?.settle();
    const net = this.net;
    const K = this.classes;
    checkSet(pixels, labels, rows, this.inputSize, K);
    const confusion = emptyConfusion(K);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < rows; start += net.maxRows) {
      const count = Math.min(net.maxRows, rows - start);
      gatherRows(net, pixels, labels, this.inFileOrder(rows), start, count);
      lossSum += networkForward(net, count, true);
      for (let r = 0; r < count; r++) {
        const predicted = argmax(net.probs, r * K, K);
        if (record) {
          record.predicted[start + r] = predicted;
          record.confidence[start + r] = net.probs[r * K + predicted];
        }
        const truth = net.labels[r];
        confusion[truth][predicted]++;
        if (predicted === truth) correct++;
      }
    }
    return { loss: lossSum / rows, accuracy: correct / rows, rows, confusion, perClass: perClassMetrics(confusion) };
  }

  /**
   * The rows 0…rows−1 in order, as a row list. Evaluation gathers its rows by a list, as a step does
   * (rather than by a first row, order null): the gathers then see one kind of argument, and the first
   * evaluation does not throw away the step's optimized code (measured with --trace-deopt: three
   * deoptimizations after the first epoch, recompiled while the second ran).
   */
  private inFileOrder(rows: number): Uint32Array {
    if (this.fileOrder.length < rows) this.fileOrder = Uint32Array.from({ length: rows }, (_, i) => i);
    return this.fileOrder;
  }

  /** Metrics on the dev set (the first devRows rows of the training data), or null when there is none. */
  evaluateDev(record?: DevPredictions): Metrics | null {
    if (this.devRows === 0) return null;
    const { pixels, labels, inputSize } = this.data;
    return this.evaluate(pixels.subarray(0, this.devRows * inputSize), labels.subarray(0, this.devRows), this.devRows, record);
  }

  /** Predicted class and class probabilities of each example (labels not needed). */
  predict(pixels: Uint8Array, rows: number, out?: Predictions): Predictions {
    this.parallel?.settle();
    const net = this.net;
    const K = this.classes;
    if (pixels.length < rows * this.inputSize) throw new RangeError(`Expected ${rows * this.inputSize} pixels for ${rows} rows, got ${pixels.length}`);
    const result = out ?? { predicted: new Uint8Array(rows), probabilities: new Float32Array(rows * K) };
    for (let start = 0; start < rows; start += net.maxRows) {
      const count = Math.min(net.maxRows, rows - start);
      gatherRows(net, pixels, null, this.inFileOrder(rows), start, count);
      networkForward(net, count, false);
      result.probabilities.set(net.probs.subarray(0, count * K), start * K);
      for (let r = 0; r < count; r++) result.predicted[start + r] = argmax(net.probs, r * K, K);
    }
    return result;
  }

  /** A plain-data copy of everything needed to continue exactly from here. */
  getState(): TrainerState {
    this.parallel?.settle();
    return {
      version: 1,
      layerSizes: [...this.net.layerSizes],
      params: this.net.params.slice(),
      m: this.m ? this.m.slice() : null,
      v: this.v ? this.v.slice() : null,
      steps: this.steps,
      epoch: this.epoch,
      stepInEpoch: this.stepInEpoch,
      shuffleRng: [...this.epochStartRng],
      epochLossSum: this.epochLossSum,
      epochRows: this.epochRows,
    };
  }

  private restore(state: TrainerState): void {
    const sizes = this.net.layerSizes;
    if (state.version !== 1) throw new TypeError(`Unknown trainer state version ${String(state.version)}`);
    if (state.layerSizes.join('-') !== sizes.join('-')) {
      throw new TypeError(`The checkpoint is for a ${state.layerSizes.join('-')} network, this run is ${sizes.join('-')}`);
    }
    const n = this.net.size;
    const check = (name: string, buf: Float32Array | null, want: Float32Array | null) => {
      if (want && (!buf || buf.length !== n)) throw new TypeError(`The checkpoint's ${name} should hold ${n} numbers for the ${this.config.optimizer} optimizer`);
    };
    if (state.params.length !== n) throw new TypeError(`The checkpoint's params hold ${state.params.length} numbers, expected ${n}`);
    check('m', state.m, this.m);
    check('v', state.v, this.v);
    if (state.stepInEpoch >= this.stepsPerEpoch) throw new TypeError(`The checkpoint is at step ${state.stepInEpoch} of an epoch of ${this.stepsPerEpoch} steps`);
    this.net.params.set(state.params);
    if (this.m && state.m) this.m.set(state.m);
    if (this.v && state.v) this.v.set(state.v);
    this.steps = state.steps;
    this.epoch = state.epoch;
    this.stepInEpoch = state.stepInEpoch;
    this.epochLossSum = state.epochLossSum;
    this.epochRows = state.epochRows;
    this.shuffleRng.setState(state.shuffleRng);
    this.beginEpoch();
  }
}

/** a[i] = first + i. A function of its own: as a loop inside beginEpoch, whose first call (in the
 *  constructor) is optimized mid-loop, V8 threw that code away at the start of every later epoch (no type
 *  feedback yet for what follows the loop) and ran the loop in the interpreter again (--trace-deopt). */
function countFrom(a: Uint32Array, first: number): void {
  for (let i = 0; i < a.length; i++) a[i] = first + i;
}
