// Each optimizer's usual learning rate, from the presets: switching optimizer moves a rate nobody typed to the
// new optimizer's (Adam's 0.001 makes plain gradient descent crawl), and keeps a rate the user chose.
import { PRESET_NAMES, PRESETS, type OptimizerName } from '../../../shared/training';

/** The learning rates the presets give an optimizer, first preset first (Adam: Standard's 0.001, then the notebook's 0.01). */
function presetRates(optimizer: OptimizerName): number[] {
  return PRESET_NAMES.map((name) => PRESETS[name].config).filter((c) => c.optimizer === optimizer).map((c) => c.learningRate);
}

/** The rate an optimizer starts at: its first preset's (GD 0.1, momentum 0.1, RMSprop 0.001, Adam 0.001). */
export function defaultLearningRate(optimizer: OptimizerName): number {
  return presetRates(optimizer)[0];
}

/** The learning rate after switching optimizer `from` → `to`: the new default when the field is empty or
 * holds one of the old optimizer's preset rates, else the user's own rate. */
export function learningRateAfterSwitch(rate: number | null, from: OptimizerName, to: OptimizerName): number | null {
  if (from === to) return rate;
  return rate === null || presetRates(from).includes(rate) ? defaultLearningRate(to) : rate;
}
