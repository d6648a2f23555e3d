import { describe, expect, it } from 'vitest';
import { OPTIMIZERS, PRESETS } from '../../../shared/training';
import { defaultLearningRate, learningRateAfterSwitch } from './learning-rate';

describe('defaultLearningRate', () => {
  it("each optimizer's first preset rate: GD and momentum 0.1 (the notebook's), RMSprop and Adam 0.001", () => {
    expect(OPTIMIZERS.map(defaultLearningRate)).toEqual([0.1, 0.1, 0.001, 0.001]);
    expect(defaultLearningRate('adam')).toBe(PRESETS.standard.config.learningRate);
    expect(defaultLearningRate('momentum')).toBe(PRESETS['notebook-momentum'].config.learningRate);
  });
});

describe('learningRateAfterSwitch', () => {
  it("Adam's default moves to the new optimizer's when switching to momentum or GD", () => {
    expect(learningRateAfterSwitch(0.001, 'adam', 'momentum')).toBe(0.1);
    expect(learningRateAfterSwitch(0.001, 'adam', 'gd')).toBe(0.1);
  });

  it("any preset rate of the old optimizer counts as untouched (the notebook Adam's 0.01)", () => {
    expect(learningRateAfterSwitch(0.01, 'adam', 'gd')).toBe(0.1);
    expect(learningRateAfterSwitch(0.1, 'gd', 'adam')).toBe(0.001);
    expect(learningRateAfterSwitch(0.1, 'momentum', 'rmsprop')).toBe(0.001);
  });

  it('a rate the user typed stays', () => {
    expect(learningRateAfterSwitch(0.05, 'adam', 'momentum')).toBe(0.05);
    expect(learningRateAfterSwitch(0.003, 'gd', 'adam')).toBe(0.003);
    // 0.1 is a preset rate for GD but not for Adam: typed for Adam, it stays.
    expect(learningRateAfterSwitch(0.1, 'adam', 'rmsprop')).toBe(0.1);
  });

  it('an empty field gets the default; the same optimizer changes nothing', () => {
    expect(learningRateAfterSwitch(null, 'adam', 'gd')).toBe(0.1);
    expect(learningRateAfterSwitch(0.001, 'adam', 'adam')).toBe(0.001);
    expect(learningRateAfterSwitch(null, 'adam', 'adam')).toBeNull();
  });
});
