// The model file `train --out` writes: the app's native .json (src/shared/model-file.ts), the same file the
// Models view exports, made from the run's result.
import { describeConfig } from '../../shared/api/runs';
import type { DatasetData } from '../../shared/dataset';
import { defaultClassNames } from '../../shared/datasets';
import type { ModelSource } from '../../shared/model-file';
import type { TrainConfig, TrainResult } from '../../shared/training';

/** `train`'s result as a model file's source: class names as the CLI prints them (Fashion-MNIST's for a
 *  'fashion' file of 10 classes, else the class numbers); its epochs from its steps; `bestDevAccuracy` from the
 *  run's record (null without a dev set). */
export function cliModelSource(config: TrainConfig, train: { data: DatasetData; name: string }, result: TrainResult, stepsPerEpoch: number, bestDevAccuracy: number | null): ModelSource {
  const { params, layerSizes } = result.state;
  return {
    name: `${train.name}: ${describeConfig(config)}`,
    config,
    layerSizes,
    params,
    image: { width: train.data.width, height: train.data.height },
    labels: defaultClassNames(train.data.classes, train.name),
    trained: { epochs: Math.round((result.steps / stepsPerEpoch) * 100) / 100, steps: result.steps, dataset: train.name },
    metrics: { devAccuracy: result.dev?.accuracy ?? null, bestDevAccuracy, testAccuracy: result.test?.accuracy ?? null },
  };
}
