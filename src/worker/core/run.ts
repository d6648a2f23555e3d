// One whole training run, as the worker task runs it: steps the Trainer until done, obeys the
// pause/stop flag between steps, posts progress (steps throttled, epochs and the end always) and
// returns the result. Pure: the task entry (src/worker/task.ts) supplies the clock and the port.
import { CONTROL, type DevPredictions, type Metrics, type TrainConfig, type TrainerState, type TrainMessage, type TrainOutcome, type TrainResult } from '../../shared/training';
import type { Allocator } from './buffers';
import type { Kernels } from './kernels';
import type { ParallelTraining } from './parallel-training';
import { Trainer, type TrainingData } from './trainer';

export interface LabelledSet {
  pixels: Uint8Array;
  labels: Uint8Array;
  rows: number;
}

export interface RunInput {
  config: TrainConfig;
  train: TrainingData;
  /** Evaluated after every epoch and at the end, when given. */
  test: LabelledSet | null;
  state?: TrainerState | null;
  kernels: Kernels;
  allocator?: Allocator;
  /** Train with other threads (see TrainerOptions.parallel); default: this thread alone. */
  parallel?: ParallelTraining;
}

export interface RunIO {
  post: (message: TrainMessage) => void;
  /** Int32Array on a SharedArrayBuffer; [0] is CONTROL.run | pause | stop. null = never paused. */
  control: Int32Array | null;
  /** Milliseconds from any fixed origin. */
  now: () => number;
}

/** Step messages are posted at most this often (ms): ≤ 20 a second. */
export const STEP_MESSAGE_INTERVAL_MS = 50;
/** While paused, the flag is re-read at least this often (ms). */
const PAUSE_SLICE_MS = 100;

export function runTraining(input: RunInput, io: RunIO): TrainResult {
  const started = io.now();
  const trainer = new Trainer(input.config, input.train, { kernels: input.kernels, allocator: input.allocator, state: input.state ?? undefined, parallel: input.parallel });
  const stepsAtStart = trainer.steps;
  let outcome: TrainOutcome = 'completed';
  let error: string | null = null;
  let trainMs = 0; // time inside step(), this session
  let samples = 0;
  let epochMs = 0;
  let epochSamples = 0;
  /** input.parallel's stepsAlone() when this epoch began. */
  let aloneBefore = input.parallel?.stepsAlone() ?? 0;
  let lastStepPost = -Infinity;
  let ema = 0;
  let emaCount = 0;
  let evaluated: { steps: number; dev: Metrics | null; devPredictions: DevPredictions | null; test: Metrics | null } | null = null;

  const evaluateNow = () => {
    if (evaluated?.steps !== trainer.steps) {
      const t = input.test;
      const n = trainer.devRows;
      // New arrays each time: the epoch message hands them to the main thread.
      const devPredictions = n > 0 ? { predicted: new Uint8Array(n), confidence: new Float32Array(n) } : null;
      const dev = trainer.evaluateDev(devPredictions ?? undefined);
      evaluated = { steps: trainer.steps, dev, devPredictions: dev ? devPredictions : null, test: t ? trainer.evaluate(t.pixels, t.labels, t.rows) : null };
    }
    return evaluated;
  };

  /** Step count of the last step message (steps taken since are not shown yet). */
  let lastPostedStep = trainer.steps;
  const postStep = (at: number) => {
    lastStepPost = at;
    lastPostedStep = trainer.steps;
    const msPerStep = trainMs / (trainer.steps - stepsAtStart);
    io.post({
      type: 'step',
      step: trainer.steps,
      totalSteps: trainer.totalSteps,
      epoch: epochsDone(),
      loss: ema / (1 - 0.9 ** emaCount),
      samplesPerSecond: trainMs > 0 ? (samples * 1000) / trainMs : 0,
      etaSeconds: trainMs > 0 ? ((trainer.totalSteps - trainer.steps) * msPerStep) / 1000 : null,
      ...(input.parallel ? { onOneThread: input.parallel.onOneThread() } : {}),
    });
  };

  /** How far the run has got, in epochs: 2.5 = half-way through the third epoch. */
  const epochsDone = () => trainer.epoch + trainer.stepInEpoch / trainer.stepsPerEpoch;

  const postEpoch = (epoch: number, trainLoss: number, complete: boolean) => {
    const { dev, devPredictions, test } = evaluateNow();
    io.post({
      type: 'epoch',
      epoch,
      complete,
      atEpoch: epochsDone(),
      step: trainer.steps,
      trainLoss,
      devLoss: dev ? dev.loss : null,
      devAccuracy: dev ? dev.accuracy : null,
      testAccuracy: test ? test.accuracy : null,
      confusion: dev ? dev.confusion : [],
      devPredictions,
      seconds: epochMs / 1000,
      samplesPerSecond: epochMs > 0 ? (epochSamples * 1000) / epochMs : 0,
      ...(input.parallel ? { stepsOnOneThread: input.parallel.stepsAlone() - aloneBefore } : {}),
      state: trainer.getState(),
    });
    epochMs = 0;
    epochSamples = 0;
    aloneBefore = input.parallel?.stepsAlone() ?? 0;
  };

  while (!trainer.done) {
    const flag = io.control ? Atomics.load(io.control, 0) : CONTROL.run;
    if (flag === CONTROL.stop) {
      outcome = 'stopped';
      break;
    }
    if (flag === CONTROL.pause) {
      if (lastPostedStep !== trainer.steps) postStep(io.now()); // the row and the chart show where it paused
      Atomics.wait(io.control!, 0, CONTROL.pause, PAUSE_SLICE_MS);
      continue;
    }
    const epochBefore = trainer.epoch;
    const stepLabel = trainer.stepInEpoch + 1;
    const rows = trainer.nextBatchRows;
    const t0 = io.now();
    const loss = trainer.step();
    const t1 = io.now();
    trainMs += t1 - t0;
    epochMs += t1 - t0;
    samples += rows;
    epochSamples += rows;
    if (!Number.isFinite(loss)) {
      outcome = 'diverged';
      error = `diverged at epoch ${epochBefore + 1}, step ${stepLabel} — try a lower learning rate`;
      break;
    }
    ema = 0.9 * ema + 0.1 * loss;
    emaCount++;
    const epochEnded = trainer.epoch !== epochBefore;
    // The step that ends an epoch always reports (full-batch runs have only such steps).
    if (epochEnded || t1 - lastStepPost >= STEP_MESSAGE_INTERVAL_MS) postStep(t1);
    if (epochEnded) postEpoch(trainer.epoch, trainer.lastEpochTrainLoss!, true);
  }

  // A run that ends inside an epoch (its step count reached, or stopped) reports that partial epoch too: its
  // matrix and dev predictions are then of the weights it ends with, as its result's metrics are.
  if ((outcome === 'completed' || outcome === 'stopped') && trainer.stepInEpoch > 0) postEpoch(trainer.epoch + 1, trainer.currentEpochLoss, false);
  const final = outcome === 'diverged' ? { dev: null, test: null } : evaluateNow();
  const result: TrainResult = {
    outcome,
    error,
    epoch: trainer.epoch,
    steps: trainer.steps,
    dev: final.dev,
    test: final.test,
    seconds: (io.now() - started) / 1000,
    state: trainer.getState(),
  };
  io.post({ type: 'done', ...result });
  return result;
}
