// A trained network as a file (DESIGN §6): the native .json, which keeps everything needed to use the model
// again (architecture, preprocessing, class names, the training config, metrics, the weights), and NumPy's
// .npz, the notebook's arrays W1, b1, W2, b2, … in the notebook's orientation. Pure: no Node, no DOM.
import type { TrainConfig } from './training';
import { bytesToBase64 } from './api/wire';
import { npzBytes } from './npz';

export const MODEL_FORMATS = ['json', 'npz'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

/** The native file's `format` field and its version (1: this layout). */
export const MODEL_FORMAT_NAME = 'mlp-studio-model';
export const MODEL_FORMAT_VERSION = 1;

/** What a model file is made from: a run's weights and what the run knows about them. */
export interface ModelSource {
  name: string;
  config: TrainConfig;
  /** [inputs, hidden…, classes]. */
  layerSizes: readonly number[];
  /** W1, b1, W2, b2, …: each W [inputs, outputs] row-major, each b [outputs]. */
  params: Float32Array;
  /** The images the model reads (width · height = layerSizes[0]). */
  image: { width: number; height: number };
  /** One name per class (layerSizes[last] of them). */
  labels: readonly string[];
  /** How far it was trained, and on what. */
  trained: { epochs: number; steps: number; dataset: string };
  metrics: { devAccuracy: number | null; bestDevAccuracy: number | null; testAccuracy: number | null };
}

/** Layer l's weight [inputs, outputs] and bias [outputs] as views into params (checked to fit exactly). */
export function layerViews(layerSizes: readonly number[], params: Float32Array): { weight: Float32Array; bias: Float32Array; inputs: number; outputs: number }[] {
  const layers = [];
  let at = 0;
  for (let l = 0; l + 1 < layerSizes.length; l++) {
    const inputs = layerSizes[l], outputs = layerSizes[l + 1];
    layers.push({ inputs, outputs, weight: params.subarray(at, at + inputs * outputs), bias: params.subarray(at + inputs * outputs, at + inputs * outputs + outputs) });
    at += inputs * outputs + outputs;
  }
  if (at !== params.length) throw new RangeError(`layers ${layerSizes.join('-')} have ${at} parameters, the weights hold ${params.length}`);
  return layers;
}

/** The problem with a source (sizes that do not agree), or null. */
function sourceProblem(m: ModelSource): string | null {
  const classes = m.layerSizes[m.layerSizes.length - 1];
  if (m.layerSizes.length !== m.config.hidden.length + 2) return `the config has ${m.config.hidden.length} hidden layers, the weights ${m.layerSizes.length - 2}`;
  if (m.image.width * m.image.height !== m.layerSizes[0]) return `${m.image.width}×${m.image.height} images do not make the ${m.layerSizes[0]} inputs`;
  if (m.labels.length !== classes) return `${m.labels.length} class names for ${classes} classes`;
  return null;
}

/** The native model file: UTF-8 JSON. Weights as little-endian float32 in base64 (the layout of `params`). */
export function modelJson(m: ModelSource): string {
  const problem = sourceProblem(m);
  if (problem) throw new RangeError(`cannot write the model: ${problem}`);
  const layers = layerViews(m.layerSizes, m.params).map(({ inputs, outputs }, l) => ({
    inputs,
    outputs,
    activation: l < m.config.hidden.length ? m.config.hidden[l].activation : 'softmax',
  }));
  const bytes = new Uint8Array(m.params.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < m.params.length; i++) view.setFloat32(i * 4, m.params[i], true);
  const file = {
    format: MODEL_FORMAT_NAME,
    version: MODEL_FORMAT_VERSION,
    name: m.name,
    input: { width: m.image.width, height: m.image.height, pixels: 'grey levels 0–255, ink high (as MNIST), row by row', scale: 1 / 255 },
    layers,
    labels: [...m.labels],
    weights: { dtype: 'float32', byteOrder: 'little', layout: 'W1, b1, W2, b2, …; each W [inputs, outputs] row-major', base64: bytesToBase64(bytes) },
    training: { config: m.config, epochs: m.trained.epochs, steps: m.trained.steps, dataset: m.trained.dataset },
    metrics: m.metrics,
  };
  return JSON.stringify(file, null, 1) + '\n';
}

/** The .npz: W1, b1, W2, b2, … in the notebook's orientation — W_l [outputs, inputs], b_l [outputs, 1] — so
 *  `Z1 = W1 @ X + b1` on X [inputs, images] scaled by 1/255, ReLU (or the layer's activation), …, softmax. */
export function modelNpz(m: ModelSource): Uint8Array {
  const problem = sourceProblem(m);
  if (problem) throw new RangeError(`cannot write the model: ${problem}`);
  return npzBytes(
    layerViews(m.layerSizes, m.params).flatMap(({ weight, bias, inputs, outputs }, l) => {
      const transposed = new Float32Array(inputs * outputs);
      for (let i = 0; i < inputs; i++) for (let o = 0; o < outputs; o++) transposed[o * inputs + i] = weight[i * outputs + o];
      return [
        { name: `W${l + 1}`, shape: [outputs, inputs], values: transposed },
        { name: `b${l + 1}`, shape: [outputs, 1], values: bias.slice() },
      ];
    }),
  );
}

/** A file name for a run's model: its name with what file systems refuse replaced, and the format's extension. */
export function modelFileName(runName: string, format: ModelFormat): string {
  return safeFileName(runName, format);
}

/** `base.extension` with what file systems refuse in `base` replaced (and at most 100 characters of it). */
export function safeFileName(base: string, extension: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = base.replace(/[<>:"/\\|?*\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().replace(/[. ]+$/, '').slice(0, 100).trim() || 'model';
  return `${safe}.${extension}`;
}

/** The name of a run's predictions for a data set: "fashion_test predicted by adam 0.001 · 128 relu.csv". */
export function predictionsFileName(datasetName: string, runName: string): string {
  return safeFileName(`${datasetName.replace(/\.(csv|gz|idx\w*|ubyte)$/gi, '')} predicted by ${runName}`, 'csv');
}
