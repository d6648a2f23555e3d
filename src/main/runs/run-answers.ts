// What a run's weights answer besides training: the dev examples behind a cell of its confusion matrix
// (Evaluate) and the class probabilities of one drawn image (Draw). Both read the weights that describe the
// run now (./run-weights.ts: the final ones of a run that completed or was stopped, else its last epoch's
// checkpoint) and keep what they build on the run, so each answer after the first is quick.
import { type CellExamples, endsWithFinal, type EpochPoint, type FirstLayer, type Prediction, type RunSummary } from '../../shared/api/runs';
import type { DatasetData } from '../../shared/dataset';
import type { ModelSource } from '../../shared/model-file';
import type { TrainerState } from '../../shared/training';
import { cellExamples, type DevExamples } from './dev-examples';
import type { ManagedRun } from './managed-run';
import type { RunManagerDeps } from './manager-deps';
import { initialWeights } from '../../worker/core/seeds';
import { emptyConfusion } from '../../shared/metrics';
import { arrangedDevRows, type DevRows, predictDev, predictDevInTurns, predictRows } from './predict-dev';
import { createPredictorInTurns } from './predictor';
import { hasEnded } from './run-rules';
import { checkSameData } from './run-dataset';
import { loadCurrentWeights } from './run-weights';

/** The dev examples of true class `truth` predicted as `predicted`: as the run's task reported them after its
 *  latest epoch, or — for a run that ended before this session — predicted again from its saved weights. */
export async function matrixCell(run: ManagedRun, deps: RunManagerDeps, truth: number, predicted: number, limit: number): Promise<CellExamples> {
  if (!run.devExamples) {
    const examples = await devExamplesFromDisk(run, deps);
    // Kept only if none came meanwhile: an epoch's, or an imported model measured again (they are the matrix's now).
    run.devExamples ??= examples;
  }
  return cellExamples(run.devExamples, truth, predicted, limit);
}

/**
 * An imported model measured on every row of a labelled data set (`dev`, its rows where they are): the confusion
 * matrix (confusion[true][predicted]), and the examples behind its cells (matrixCell's). Checks that the images
 * are the model's size and every label one of its classes, naming the data set.
 */
export async function measureImported(run: ManagedRun, deps: RunManagerDeps, dev: DevRows): Promise<{ confusion: number[][]; examples: DevExamples }> {
  const { name, config } = run.summary;
  const { data, datasetName } = dev;
  const labels = data.labels;
  // What the data set itself must be, said before the weights (up to hundreds of MB) are read.
  if (!labels) throw new Error(`${datasetName} has no labels, so there is nothing to measure '${name}' against (its predictions are in the Models view)`);
  checkImageShape(run.summary, data, datasetName);
  const state = await latestWeights(run, deps);
  if (!state) throw new Error(`run '${name}' has no saved weights to measure`);
  const K = state.layerSizes[state.layerSizes.length - 1];
  if (data.width * data.height !== state.layerSizes[0]) throw new Error(`'${name}' reads images of ${state.layerSizes[0]} pixels; ${datasetName}'s are ${data.width}×${data.height}`);
  if (data.classes > K) throw new Error(`${datasetName} has ${data.classes} classes; '${name}' tells ${K} apart`);
  const predictions = await predictDevInTurns(config, state, dev, deps.kernels);
  const noAnswer = predictions.confidence.reduce((count, p) => count + (Number.isNaN(p) ? 1 : 0), 0);
  if (noAnswer > 0) {
    // A matrix would count them as the class argmax falls on; the Models view counts them as no class's.
    throw new Error(`'${name}' gives no answer for ${noAnswer.toLocaleString('en-US')} of ${dev.rows.length.toLocaleString('en-US')} images of ${datasetName}: its outputs are not numbers (its weights overflow float32's range)`);
  }
  const confusion = emptyConfusion(K);
  const devLabels = Uint8Array.from(dev.rows, (row) => labels[row]);
  for (let i = 0; i < devLabels.length; i++) confusion[devLabels[i]][predictions.predicted[i]]++;
  const examples = { ...predictions, epoch: epochOfWeights(run.epochs, state), datasetId: dev.datasetId ?? '', rows: dev.rows, labels: devLabels };
  return { confusion, examples };
}

/** One image's class probabilities (so a training run answers with the epoch it last finished). */
export async function predictImage(run: ManagedRun, deps: RunManagerDeps, pixels: Uint8Array): Promise<Prediction> {
  const { status, checkpointEpoch, name, progress } = run.summary;
  // Which saved weights answer: a final file by the step it was written at (a run stopped, continued and
  // stopped again before its next epoch has a new final.bin with the same checkpoint epoch), a checkpoint
  // by its epoch (the step moves on while the run trains) — the epoch of the checkpoint read, which may be newer
  // than the one named, or older if its write failed.
  const final = endsWithFinal(status);
  const weights = final ? `final-${progress.step}` : `checkpoint-${checkpointEpoch}`;
  // One build at a time for the strokes that come meanwhile (a big network's takes a while, in turns).
  if (run.predictor?.asked !== weights && run.predictor?.weights !== weights) {
    const predictor: NonNullable<ManagedRun['predictor']> = {
      asked: weights,
      weights: null,
      ready: latestWeights(run, deps).then(async (state) => {
        if (!state) throw new Error(`run '${name}' has no saved weights yet (${status}): they come with its first epoch`);
        predictor.weights = final ? weights : `checkpoint-${state.epoch}`;
        return { epoch: epochOfWeights(run.epochs, state), predict: await createPredictorInTurns(run.summary.config, state) };
      }),
    };
    run.predictor = predictor;
    predictor.ready.catch(() => {
      if (run.predictor === predictor) run.predictor = null; // asked again, it is built again
    });
  }
  const { epoch, predict } = await run.predictor.ready;
  return { probabilities: predict(pixels), epoch };
}

/** The first layer's weights, for images: the run's data must be images (its recorded size, or a square). */
export async function firstLayer(run: ManagedRun, deps: RunManagerDeps): Promise<FirstLayer> {
  const { name, status } = run.summary;
  const state = await latestWeights(run, deps);
  if (!state) throw new Error(`run '${name}' has no saved weights yet (${status}): they come with its first epoch`);
  const [inputs, units] = state.layerSizes;
  const side = Math.round(Math.sqrt(inputs));
  const { width, height } = run.summary.dataset ?? run.summary.imported ?? { width: side, height: side };
  if (width * height !== inputs) throw new Error(`run '${name}' takes ${inputs} inputs, which are not ${width}×${height} images`);
  const { config } = run.summary;
  const initial = initialWeights({ layerSizes: state.layerSizes, activations: config.hidden.map((h) => h.activation), loss: config.loss }, config.seed);
  return { width, height, units, weights: state.params.slice(0, inputs * units), initial: initial.slice(0, inputs * units), epoch: epochOfWeights(run.epochs, state) };
}

/** What a model file of the run is made from (src/shared/model-file.ts): its latest saved weights, with `given`
 *  class names (one per class, as the UI shows them; absent: the class numbers). */
export async function modelSource(run: ManagedRun, deps: Pick<RunManagerDeps, 'store'>, given?: readonly string[]): Promise<ModelSource> {
  const { name, config, dataset, datasetName, lastDevAccuracy, bestDevAccuracy, lastTestAccuracy, imported } = run.summary;
  const { state, labels } = await weightsWithLabels(run, deps, given ?? imported?.labels);
  const inputs = state.layerSizes[0];
  const side = Math.round(Math.sqrt(inputs));
  const image = dataset ?? imported ?? (side * side === inputs ? { width: side, height: side } : { width: inputs, height: 1 });
  return {
    name,
    config,
    layerSizes: state.layerSizes,
    params: state.params,
    image: { width: image.width, height: image.height },
    labels,
    trained: { epochs: epochOfWeights(run.epochs, state), steps: state.steps, dataset: datasetName },
    metrics: { devAccuracy: lastDevAccuracy, bestDevAccuracy, testAccuracy: lastTestAccuracy },
  };
}

/** The data's images are the shape the run's model was trained on, when its record says (as many pixels in
 *  another shape — 14×56 for 28×28 — would be read as nonsense without a word). `dataName`: "fashion_test.csv",
 *  or "these". */
function checkImageShape(run: RunSummary, data: DatasetData, dataName: string): void {
  const size = run.dataset ?? run.imported;
  if (size && (data.width !== size.width || data.height !== size.height)) {
    throw new Error(`'${run.name}' reads ${size.width}×${size.height} images; ${dataName === 'these' ? 'these are' : `${dataName}'s are`} ${data.width}×${data.height}`);
  }
}

/** The run's class probabilities for every image of `data` (labelled or not, in its order), by its latest saved
 *  weights: [rows, classes], with the class names (`given`, or the class numbers). */
export async function predictionsOf(run: ManagedRun, deps: Pick<RunManagerDeps, 'store' | 'kernels'>, data: DatasetData, given?: readonly string[]): Promise<{ probs: Float32Array; labels: readonly string[] }> {
  const { state, labels } = await weightsWithLabels(run, deps, given ?? run.summary.imported?.labels);
  const inputs = state.layerSizes[0];
  checkImageShape(run.summary, data, 'these');
  if (data.width * data.height !== inputs) throw new Error(`run '${run.summary.name}' reads images of ${inputs} pixels; these are ${data.width}×${data.height}`);
  return { probs: await predictRows(run.summary.config, state, data, deps.kernels), labels };
}

/** The run's latest saved weights and a name for each of its classes: `given` (checked to be one per class), or
 *  the class numbers. */
async function weightsWithLabels(run: ManagedRun, deps: Pick<RunManagerDeps, 'store'>, given?: readonly string[]): Promise<{ state: TrainerState; labels: readonly string[] }> {
  const { name, status } = run.summary;
  const state = await latestWeights(run, deps);
  if (!state) throw new Error(`run '${name}' has no saved weights yet (${status}): they come with its first epoch`);
  const classes = state.layerSizes[state.layerSizes.length - 1];
  const labels = given ?? Array.from({ length: classes }, (_, k) => String(k));
  if (labels.length !== classes) throw new Error(`run '${name}' tells ${classes} classes apart; ${labels.length} class name${labels.length === 1 ? ' was' : 's were'} given`);
  return { state, labels };
}

/** How far training had got when these weights were saved, in epochs: the fraction a stopped run reached
 *  inside an epoch (its last epoch point ends at the weights' step, e.g. 1.47), else whole epochs. */
export function epochOfWeights(epochs: readonly EpochPoint[], state: TrainerState): number {
  for (let i = epochs.length - 1; i >= 0; i--) if (epochs[i].step === state.steps) return epochs[i].atEpoch ?? state.epoch;
  return state.epoch;
}

/** The weights the run's summary names (or newer ones), once its writer has put them on disk: reading before
 *  would answer with — and cache under the new weights' key — the older ones still there. A run that ended waits
 *  for its writer to be idle (one that just stopped or completed is still writing its final weights); a training
 *  run waits only for the checkpoint its summary names (its writer may never be idle while it trains: epochs
 *  faster than its saves). Read as the status at the call names them, whatever the run has done meanwhile. */
export async function latestWeights(run: ManagedRun, deps: Pick<RunManagerDeps, 'store'>): Promise<TrainerState | null> {
  const { id, status } = run.summary;
  await (hasEnded(status) ? run.writer.idle : run.writer.checkpointSaved());
  return loadCurrentWeights(deps.store, id, status);
}

async function devExamplesFromDisk(run: ManagedRun, deps: RunManagerDeps): Promise<DevExamples> {
  const { name, status } = run.summary;
  if (!hasEnded(status)) throw new Error(`the examples behind the confusion matrix of '${name}' come with its next epoch`);
  const state = await latestWeights(run, deps);
  if (!state) throw new Error(`run '${name}' has no saved weights to evaluate`);
  const dev = deps.devRowsFor ? deps.devRowsFor(run.summary, state) : arrangedDevRows(deps.dataToContinue?.(run.summary, null, state) ?? deps.dataFor(run.summary.datasetId, null));
  if (dev) checkSameData(run.summary, dev.dataset, dev.datasetName);
  if (dev && run.summary.imported) return (await measureImported(run, deps, dev)).examples; // measured again
  const labels = dev?.data.labels;
  if (!dev || dev.rows.length === 0 || !labels) throw new Error(`run '${name}' has no dev set to show examples of`);
  const predictions = predictDev(run.summary.config, state, dev, deps.kernels);
  const { order } = dev;
  const devLabels = order ? Uint8Array.from(order, (row) => labels[row]) : labels.slice(0, dev.rows.length);
  return { ...predictions, epoch: epochOfWeights(run.epochs, state), datasetId: dev.datasetId ?? run.summary.datasetId, rows: dev.rows, labels: devLabels };
}
