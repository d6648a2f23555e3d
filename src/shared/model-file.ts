// A trained network as a file (DESIGN §6): the native .json, which keeps everything needed to use the model
// again (architecture, preprocessing, class names, the training config, metrics, the weights), and NumPy's
// .npz, the notebook's arrays W1, b1, W2, b2, … in the notebook's orientation (the .onnx graph is ./onnx.ts).
// Pure: no Node, no DOM.
import * as v from 'valibot';
import { ACTIVATIONS, type TrainConfig, TrainConfigSchema } from './training';
import { base64Into, base64Length, base64ToBytes } from './api/wire';
import { float32FromLittleEndian, float32LittleEndian } from './bytes';
import { npzBytes } from './npz';

export const MODEL_FORMATS = ['json', 'npz', 'onnx'] as const;
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
  return new TextDecoder().decode(modelJsonBytes(m));
}

/** The weights' line as JSON.stringify(…, null, 1) writes it at that depth: found to splice the base64 in. It occurs
 *  once: a newline in the output is always structure (in a value it is written \n), and the two spaces before the
 *  key put it directly inside a top-level object, where only `weights` has that key. */
const EMPTY_WEIGHTS_LINE = '\n  "base64": ""';

/** modelJson's bytes, with the base64 of the weights written straight into them: no string as long as the file is
 *  made (a 784-4096-4096-4096-10 model's weights are 151 MB, 201 MB in base64). */
export function modelJsonBytes(m: ModelSource): Uint8Array {
  const problem = sourceProblem(m);
  if (problem) throw new RangeError(`cannot write the model: ${problem}`);
  const layers = layerViews(m.layerSizes, m.params).map(({ inputs, outputs }, l) => ({
    inputs,
    outputs,
    activation: l < m.config.hidden.length ? m.config.hidden[l].activation : 'softmax',
  }));
  const file = {
    format: MODEL_FORMAT_NAME,
    version: MODEL_FORMAT_VERSION,
    name: m.name,
    input: { width: m.image.width, height: m.image.height, pixels: 'grey levels 0–255, ink high (as MNIST), row by row', scale: 1 / 255 },
    layers,
    labels: [...m.labels],
    weights: { dtype: 'float32', byteOrder: 'little', layout: 'W1, b1, W2, b2, …; each W [inputs, outputs] row-major', base64: '' },
    training: { config: m.config, epochs: m.trained.epochs, steps: m.trained.steps, dataset: m.trained.dataset },
    metrics: m.metrics,
  };
  const text = JSON.stringify(file, null, 1) + '\n';
  const line = text.indexOf(EMPTY_WEIGHTS_LINE);
  if (line < 0) throw new Error('model file: the weights\' line is not where JSON.stringify puts it'); // a layout change
  const at = line + EMPTY_WEIGHTS_LINE.length - 1; // between the value's two quotes
  const encoder = new TextEncoder();
  const before = encoder.encode(text.slice(0, at));
  const after = encoder.encode(text.slice(at));
  const weightsLength = base64Length(m.params.byteLength);
  const out = new Uint8Array(before.length + weightsLength + after.length); // the one large buffer
  out.set(before, 0);
  base64Into(float32LittleEndian(m.params), out, before.length);
  out.set(after, before.length + weightsLength);
  return out;
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
  // A data file's extensions left out of both names: a run named after its data ("… · letters.csv") gave "….csv.csv".
  const bare = (name: string) => name.replace(/\.(csv|gz|idx\w*|ubyte)$/gi, '');
  return safeFileName(`${bare(datasetName)} predicted by ${bare(runName)}`, 'csv');
}

/** The largest model file an import reads: the largest network the app trains (784 → 8 × 4,096 → 10, 117 M weights)
 *  is a 626 MB .json (a 784-4096-4096-4096-10 network's is ~190 MB). */
export const MODEL_FILE_MAX_BYTES = 1024 * 1024 * 1024;

const Count = v.pipe(v.number(), v.integer(), v.minValue(1));
/** An accuracy: 0 to 1 (1e999 in a file reads as Infinity). */
const Fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const ModelJsonSchema = v.object({
  format: v.literal(MODEL_FORMAT_NAME),
  version: v.literal(MODEL_FORMAT_VERSION),
  name: v.pipe(v.string(), v.maxLength(200)),
  input: v.object({ width: Count, height: Count, scale: v.literal(1 / 255) }),
  layers: v.pipe(
    v.array(v.object({ inputs: Count, outputs: Count, activation: v.picklist([...ACTIVATIONS, 'softmax']) })),
    v.minLength(1),
    v.maxLength(9),
  ),
  labels: v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.minLength(2), v.maxLength(256)),
  weights: v.object({ dtype: v.literal('float32'), byteOrder: v.literal('little'), base64: v.string() }),
  training: v.object({ config: TrainConfigSchema, epochs: v.pipe(v.number(), v.finite(), v.minValue(0)), steps: v.pipe(v.number(), v.integer(), v.minValue(0)), dataset: v.pipe(v.string(), v.maxLength(1024)) }),
  metrics: v.object({ devAccuracy: v.nullable(Fraction), bestDevAccuracy: v.nullable(Fraction), testAccuracy: v.nullable(Fraction) }),
});

/** A model file read back (MLP Studio's .json, as modelJson writes it), checked field by field and for agreement
 *  between its parts; throws an Error saying what is wrong and where (a field's path: "layers[1].inputs"). */
export function parseModelJson(text: string): ModelSource {
  return checkedModel(parseJson(text), base64ToBytes);
}

/** JSON.parse, its error said as a model file's ("not JSON: …"). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // The message quotes the text where it failed: its line breaks and control bytes are shown as U+FFFD.
    // eslint-disable-next-line no-control-regex
    const message = (error instanceof Error ? error.message : String(error)).replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
    throw new Error(`not JSON: ${message}`, { cause: error });
  }
}

/** A model file's parsed JSON checked as parseModelJson says; `weightBytes` decodes its weights.base64 (given the
 *  field's text: a caller that read the weights apart from the rest ignores it). */
export function checkedModel(raw: unknown, weightBytes: (base64: string) => Uint8Array): ModelSource {
  if (typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format !== MODEL_FORMAT_NAME) {
    throw new Error(`not an MLP Studio model file (its "format" is ${JSON.stringify((raw as { format?: unknown }).format) ?? 'missing'}, not "${MODEL_FORMAT_NAME}")`);
  }
  const parsed = v.safeParse(ModelJsonSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = (issue.path ?? []).map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('').replace(/^\./, '');
    throw new Error(`${path || 'the file'}: ${issue.input === undefined ? 'missing' : issue.message}`);
  }
  const m = parsed.output;
  const { layers } = m;
  const last = layers.length - 1;
  for (let l = 0; l <= last; l++) {
    if (l > 0 && layers[l].inputs !== layers[l - 1].outputs) throw new Error(`layers[${l}].inputs is ${layers[l].inputs}, but layers[${l - 1}].outputs is ${layers[l - 1].outputs}`);
    if ((l === last) !== (layers[l].activation === 'softmax')) throw new Error(`layers[${l}].activation is ${layers[l].activation}: the last layer's is softmax, and only its`);
  }
  if (m.input.width * m.input.height !== layers[0].inputs) throw new Error(`input is ${m.input.width}×${m.input.height} = ${m.input.width * m.input.height} pixels, but layers[0].inputs is ${layers[0].inputs}`);
  const hidden = m.training.config.hidden;
  if (hidden.length !== last || hidden.some((h, l) => h.units !== layers[l].outputs || h.activation !== layers[l].activation)) {
    throw new Error(`training.config.hidden (${hidden.map((h) => `${h.units} ${h.activation}`).join(', ') || 'none'}) does not match the layers`);
  }
  const layerSizes = [layers[0].inputs, ...layers.map((layer) => layer.outputs)];
  if (m.labels.length !== layerSizes[layerSizes.length - 1]) throw new Error(`labels has ${m.labels.length} names for ${layerSizes[layerSizes.length - 1]} classes`);
  const count = layers.reduce((sum, layer) => sum + layer.inputs * layer.outputs + layer.outputs, 0);
  let bytes: Uint8Array;
  try {
    bytes = weightBytes(m.weights.base64);
  } catch (error) {
    throw new Error(`weights.base64: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (bytes.length !== count * 4) throw new Error(`weights.base64 holds ${bytes.length} bytes; layers ${layerSizes.join('-')} need ${count * 4} (${count} float32)`);
  const params = float32FromLittleEndian(bytes);
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(params[i])) throw new Error(`weights: number ${i} is ${params[i]}; a model's weights are finite`);
  }
  return {
    name: m.name,
    config: m.training.config,
    layerSizes,
    params,
    image: { width: m.input.width, height: m.input.height },
    labels: m.labels,
    trained: { epochs: m.training.epochs, steps: m.training.steps, dataset: m.training.dataset },
    metrics: m.metrics,
  };
}
