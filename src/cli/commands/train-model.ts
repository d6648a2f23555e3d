// The model file `train --out` writes. Provisional: the Models issue defines the app's export formats
// (native .json with a format version, .npz, .onnx); switch `train --out` to that writer when it lands.
import type { DatasetData } from '../../shared/dataset';
import type { TrainConfig, TrainResult } from '../../shared/training';

export function modelJson(config: TrainConfig, data: DatasetData, result: TrainResult) {
  const { params, layerSizes } = result.state;
  const bytes = new Uint8Array(params.buffer, params.byteOffset, params.byteLength); // little-endian on every platform we ship
  return {
    format: 'mlp-studio-model',
    version: 0,
    input: { width: data.width, height: data.height, scale: 1 / 255 },
    layerSizes,
    activations: config.hidden.map((h) => h.activation),
    /** W1, b1, W2, b2, … concatenated; W as [inputs, outputs], row-major float32. */
    weights: Buffer.from(bytes).toString('base64'),
    config,
    metrics: { dev: result.dev && { loss: result.dev.loss, accuracy: result.dev.accuracy }, test: result.test && { loss: result.test.loss, accuracy: result.test.accuracy } },
  };
}
