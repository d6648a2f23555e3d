import { describe, expect, it } from 'vitest';
import type { StepMessage } from '../../shared/training';
import { ProgressBar } from './train-output';

const step = (epoch: number): StepMessage => ({ type: 'step', step: 0, totalSteps: 0, epoch, loss: 0.5, samplesPerSecond: 1, etaSeconds: null });

describe('ProgressBar', () => {
  it('shows the epoch a step is in, and the step that ends an epoch as that epoch at 100%', () => {
    let shown = '';
    const bar = new ProgressBar({ stdout: (t) => (shown = t), stderr: () => {}, isTTY: true }, 3);
    const at = (epoch: number) => {
      bar.update(step(epoch));
      return /epoch (\d\/3) \[([#-]+)\] +(\d+)%/.exec(shown)!.slice(1);
    };
    expect(at(0)).toEqual(['1/3', '-'.repeat(30), '0']);
    expect(at(0.5)).toEqual(['1/3', '#'.repeat(15) + '-'.repeat(15), '50']);
    expect(at(1)).toEqual(['1/3', '#'.repeat(30), '100']); // it read 'epoch 2/3 … 0%'
    expect(at(2.25)).toEqual(['3/3', '#'.repeat(8) + '-'.repeat(22), '25']);
    expect(at(3)).toEqual(['3/3', '#'.repeat(30), '100']); // it read 'epoch 3/3 … 0%'
  });
});
