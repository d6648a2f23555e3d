// The "did not learn" check on histories of real runs on .data/mnist_sample.csv (9000 training rows, dev 1000):
// ordinary runs stay quiet, runs whose learning rate is too high are told so, with their figures.
import { describe, expect, it } from 'vitest';
import type { EpochPoint, RunStatus, StepPoint } from '../../shared/api/runs';
import { presetConfig } from '../../shared/training';
import { chanceLevel, lossText, notLearningNotice } from './learning-check';

/** The dev set's class counts of mnist_sample.csv (its first 1000 rows): the most common class is 11.9%. */
const DEV_COUNTS = [108, 113, 119, 97, 106, 106, 89, 93, 79, 90];
/** A confusion with those rows, every example answered `predicted` (what a dead network does). */
const confusion = (predicted = 1) => DEV_COUNTS.map((n) => DEV_COUNTS.map((_, k) => (k === predicted ? n : 0)));

interface Shape {
  /** The step points' smoothed losses, the first the starting network's loss on the first batch. */
  steps: number[];
  /** Each epoch's mean training loss and dev accuracy (null: no dev set). */
  losses: number[];
  dev: Array<number | null>;
  learningRate: number;
  status?: RunStatus;
  /** The fraction of its epoch the last epoch point reached (a run stopped inside it); complete when absent. */
  lastAt?: number;
}

function check({ steps, losses, dev, learningRate, status = 'completed', lastAt }: Shape): string | null {
  const stepPoints: StepPoint[] = steps.map((loss, i) => ({ step: i + 1, epoch: i / steps.length, loss }));
  const epochs: EpochPoint[] = losses.map((trainLoss, i) => ({ epoch: i + 1, step: i + 1, atEpoch: i + 1, trainLoss, devLoss: null, devAccuracy: dev[i], testAccuracy: null, seconds: 0.1, samplesPerSecond: 1 }));
  if (lastAt !== undefined) epochs[epochs.length - 1].atEpoch = lastAt;
  const last = dev.at(-1) ?? null;
  const measured = dev.filter((d) => d !== null);
  const best = measured.length > 0 ? measured.reduce((a, b) => Math.max(a, b)) : null; // the row's 'best dev'
  const summary = { status, lastDevAccuracy: last, bestDevAccuracy: best, confusion: last === null ? [] : confusion(), config: { ...presetConfig('standard'), learningRate } };
  return notLearningNotice(summary, stepPoints, epochs);
}

// gd, learning rate 50, batch 64, 5 epochs (the QA finding): finite losses, dev accuracy 9.7%.
const lr50: Shape = {
  steps: [2.2888, 257.032, 16.802, 17.1, 16.9, 17.3, 17.8, 17.6, 17.7, 17.4, 17.5],
  losses: [15649.1541, 16.6314, 17.7685, 17.7059, 17.5302],
  dev: [0.113, 0.108, 0.09, 0.089, 0.097],
  learningRate: 50,
};
// The notebook's momentum preset: full batch, 30 iterations at 0.1 — slow, at chance for its first iterations.
const momentumLosses = [2.3603, 2.3495, 2.3309, 2.3082, 2.2853, 2.2647, 2.248, 2.2336, 2.2205, 2.2074, 2.1934, 2.178, 2.1614, 2.1436, 2.1246, 2.1045, 2.0834, 2.0618, 2.0403, 2.019, 1.9984, 1.9786, 1.9591, 1.9387, 1.9168, 1.8933, 1.8686, 1.8435, 1.8184, 1.7937];
const momentumDev = [0.067, 0.07, 0.077, 0.087, 0.101, 0.119, 0.133, 0.138, 0.154, 0.169, 0.173, 0.182, 0.194, 0.197, 0.207, 0.204, 0.209, 0.217, 0.229, 0.242, 0.257, 0.282, 0.307, 0.338, 0.362, 0.391, 0.411, 0.432, 0.45, 0.473];
const momentum: Shape = { steps: momentumLosses, losses: momentumLosses, dev: momentumDev, learningRate: 0.1 };

describe('notLearningNotice', () => {
  it('tells a run at learning rate 50 that it did not learn, why, and what to try', () => {
    expect(check(lr50)).toBe(
      'The loss did not go down (2.29 at the start, 17.5 in the last epoch, 15,649 at its highest) and the dev accuracy ends at chance level (9.7%, 10 classes; best 11.3%): the learning rate (50) is probably too high — try 10× lower (5).',
    );
    // Stopped by the user: the same (a stopped run keeps its weights, and they learned nothing).
    expect(check({ ...lr50, status: 'stopped' })).toContain('the learning rate (50) is probably too high');
  });

  it('tells the other too-high rates seen on the sample, the notebook preset at 50 among them', () => {
    // gd 3 and 10, batch 64, 2 epochs: a spike in the first epoch, then a dead network answering one class.
    expect(check({ steps: [2.2888, 4.8, 2.4, 2.33], losses: [5.12, 2.32], dev: [0.113, 0.108], learningRate: 3 })).toBe(
      'The loss did not go down (2.29 at the start, 2.32 in the last epoch, 5.12 at its highest) and the dev accuracy ends at chance level (10.8%, 10 classes; best 11.3%): the learning rate (3) is probably too high — try 10× lower (0.3).',
    );
    expect(check({ steps: [2.2888, 300, 2.5], losses: [84.7, 2.38], dev: [0.113, 0.108], learningRate: 10 })).toContain('try 10× lower (1).');
    // notebook-gd at 50: full batch, its first epoch is the starting network's loss.
    const nbLosses = [2.3603, 13.9541, 7.8425, 19.5527, 7.7031, 8.211, 7.4312, 8.9802, 8.9443, 10.0288, 12.0984];
    const nb = check({ steps: nbLosses, losses: nbLosses, dev: [0.345, 0.103, 0.201, 0.09, 0.106, 0.119, 0.113, 0.093, 0.097, 0.079, 0.097], learningRate: 50 });
    expect(nb).toBe(
      'The loss did not go down (2.36 at the start, 12.1 in the last epoch, 19.6 at its highest) and the dev accuracy ends at chance level (9.7%, 10 classes; best 34.5%): the learning rate (50) is probably too high — try 10× lower (5).',
    );
  });

  it('says the loss went up before it came down when it ended below its start', () => {
    const text = check({ steps: [2.29, 40, 2.2], losses: [30, 2.2], dev: [0.1, 0.11], learningRate: 0.5 });
    expect(text).toMatch(/^The loss went up before it came down \(2\.29 at the start, 40\.0 at its highest, 2\.20 in the last epoch\) and the dev accuracy ends at chance level \(11\.0%, 10 classes\):/);
  });

  it('stays quiet on ordinary runs: the standard preset, the notebook four, short and stopped runs', () => {
    // standard preset, 5 epochs (93.9%), and 1 epoch (91.3%)
    expect(check({ steps: [2.2888, 0.5073, 0.3643, 0.2], losses: [0.6509, 0.2873, 0.2269, 0.1812, 0.1522], dev: [0.913, 0.932, 0.939, 0.938, 0.939], learningRate: 0.001 })).toBeNull();
    expect(check({ steps: [2.2888, 0.5073, 0.3643], losses: [0.6509], dev: [0.913], learningRate: 0.001 })).toBeNull();
    // 3 iterations of the standard preset: a partial epoch, 30.6%
    expect(check({ steps: [2.2888, 2.05, 1.9], losses: [2.05], dev: [0.306], learningRate: 0.001 })).toBeNull();
    // the notebook's momentum run (47.3%), and stopped after 5 of its iterations, at 10.1% (its loss going down)
    expect(check(momentum)).toBeNull();
    expect(check({ ...momentum, steps: momentumLosses.slice(0, 5), losses: momentumLosses.slice(0, 5), dev: momentumDev.slice(0, 5), status: 'stopped' })).toBeNull();
    // notebook RMSprop at 0.001, whose loss wobbles up a little early on (2.00 → 2.03) and ends at 78.9%
    const rms = [2.3603, 2.0924, 2.0035, 2.0317, 1.9147, 1.8913, 1.6527, 1.5436, 1.3943, 0.7408];
    expect(check({ steps: rms, losses: rms, dev: [0.273, 0.294, 0.318, 0.337, 0.343, 0.402, 0.499, 0.525, 0.54, 0.789], learningRate: 0.001 })).toBeNull();
  });

  it('does not tell a run whose learning rate is too small that it is too high', () => {
    // gd 1e-4, batch 64, 1 epoch: 14.2%, and its epoch's mean loss above its first batch's by that batch's luck
    expect(check({ steps: [2.2888, 2.3917, 2.3824, 2.39], losses: [2.3898], dev: [0.142], learningRate: 1e-4 })).toBeNull();
    // notebook gd at 0.001: 30 iterations that barely move, ending at 7.1%
    const slow = Array.from({ length: 30 }, (_, i) => 2.3603 - i * 0.0004);
    expect(check({ steps: slow, losses: slow, dev: slow.map(() => 0.071), learningRate: 0.001 })).toBeNull();
  });

  it('stays quiet for runs that diverged, failed or have not ended', () => {
    for (const status of ['diverged', 'failed', 'running', 'paused', 'queued', 'interrupted'] as const) expect(check({ ...lr50, status })).toBeNull();
  });

  it('tells a run whose loss crept up over its epochs, by less than 1.5×, that ends at chance', () => {
    // 2.30 → 2.41 over 5 epochs, never 1.5× its start
    const creeping = { steps: [2.3, 2.31, 2.33, 2.36, 2.38, 2.4], losses: [2.31, 2.34, 2.37, 2.39, 2.41], dev: [0.12, 0.11, 0.103, 0.1, 0.098], learningRate: 0.8 };
    expect(check(creeping)).toBe(
      'The loss did not go down (2.30 at the start, 2.41 in the last epoch) and the dev accuracy ends at chance level (9.8%, 10 classes; best 12.0%): the learning rate (0.8) is probably too high — try 10× lower (0.08).',
    );
    // Its first batch was an unlucky one (2.45): the epochs tell the rise.
    expect(check({ ...creeping, steps: [2.45, ...creeping.steps.slice(1)] })).toMatch(/^The loss did not go down \(2\.31 in the first epoch, 2\.41 in the last\) and the dev accuracy ends at chance level/);
    // The boundary: the last epoch more than 1% above the first (2.30 → 2.33) tells; 2.30 → 2.32 is flat.
    const epochsOnly = (last: number) => check({ steps: [2.45, 2.3], losses: [2.3, 2.31, last], dev: [0.1, 0.1, 0.1], learningRate: 1 });
    expect(epochsOnly(2.33)).toContain('(2.30 in the first epoch, 2.33 in the last)');
    expect(epochsOnly(2.32)).toBeNull();
    // Full batch (a step per epoch, each its exact loss): 2.36 → 2.45 over 30 iterations
    const rising = Array.from({ length: 30 }, (_, i) => 2.3603 + i * 0.003);
    expect(check({ steps: rising, losses: rising, dev: rising.map(() => 0.09), learningRate: 1.5 })).toContain('The loss did not go down (2.36 at the start, 2.45 in the last epoch)');
  });

  it('does not tell runs that learn slowly near chance, with their loss going down or flat (real runs on the sample)', () => {
    // gd 1e-5 and 1e-6, batch 64, 4 epochs: 13.6–13.7%, each epoch's mean loss a little lower, above the first batch's
    expect(check({ steps: [2.2888, 2.41, 2.4, 2.39], losses: [2.401, 2.398, 2.396, 2.393], dev: [0.136, 0.137, 0.136, 0.137], learningRate: 1e-5 })).toBeNull();
    expect(check({ steps: [2.2888, 2.41, 2.4, 2.4], losses: [2.4021, 2.4019, 2.4017, 2.4015], dev: [0.136, 0.136, 0.136, 0.136], learningRate: 1e-6 })).toBeNull();
    // Adam 1e-6: 14.2% → 16.4%; notebook gd at 1e-5, full batch: 2.3603 throughout, 6.6%
    expect(check({ steps: [2.2888, 2.39, 2.37], losses: [2.393, 2.375, 2.357], dev: [0.142, 0.151, 0.164], learningRate: 1e-6 })).toBeNull();
    const flat = Array.from({ length: 30 }, () => 2.3603);
    expect(check({ steps: flat, losses: flat, dev: flat.map(() => 0.066), learningRate: 1e-5 })).toBeNull();
  });

  it('leaves out a partial last epoch (a stop a few batches into it): its mean is those batches\' luck', () => {
    const stopped = { steps: [2.2888, 2.4, 2.39], losses: [2.39, 2.45], dev: [0.14, 0.14], learningRate: 1e-4, status: 'stopped' as const };
    expect(check({ ...stopped, lastAt: 1.02 })).toBeNull();
    expect(check(stopped)).toContain('(2.29 at the start, 2.45 in the last epoch)'); // a whole second epoch that high tells
  });

  it('without a dev set, tells a run whose loss ended above its start, by the loss alone', () => {
    const noDev = (shape: Shape) => check({ ...shape, dev: shape.dev.map(() => null) });
    expect(noDev(lr50)).toBe('The loss did not go down (2.29 at the start, 17.5 in the last epoch, 15,649 at its highest): the learning rate (50) is probably too high — try 10× lower (5).');
    expect(noDev({ ...lr50, status: 'stopped' })).toContain('try 10× lower (5).');
    const rising = Array.from({ length: 30 }, (_, i) => 2.3603 + i * 0.003);
    expect(noDev({ steps: rising, losses: rising, dev: [], learningRate: 1.5 })).toBe('The loss did not go down (2.36 at the start, 2.45 in the last epoch): the learning rate (1.5) is probably too high — try 10× lower (0.15).');
  });

  it('without a dev set, stays quiet when the loss went down, or its end is above its first batch by that batch\'s luck', () => {
    const noDev = (shape: Shape) => check({ ...shape, dev: shape.dev.map(() => null) });
    // gd 1e-4, one epoch: its mean (2.39) above its first batch's loss (2.29), 4%: no rise
    expect(noDev({ steps: [2.2888, 2.3917, 2.3824, 2.39], losses: [2.3898], dev: [null], learningRate: 1e-4 })).toBeNull();
    // went up and came down (it may have learned: no dev set to tell), the standard preset, momentum, slow gd
    expect(noDev({ steps: [2.29, 40, 2.2], losses: [30, 2.2], dev: [null, null], learningRate: 0.5 })).toBeNull();
    expect(noDev({ steps: [2.2888, 0.5073, 0.3643, 0.2], losses: [0.6509, 0.2873, 0.2269, 0.1812, 0.1522], dev: [null], learningRate: 0.001 })).toBeNull();
    expect(noDev(momentum)).toBeNull();
    expect(noDev({ steps: [2.2888, 2.41, 2.4, 2.39], losses: [2.401, 2.398, 2.396, 2.393], dev: [null], learningRate: 1e-5 })).toBeNull();
    // learned in its first epoch (mean 0.60), then crept up a little (0.65): far below its start, it went down
    expect(noDev({ steps: [2.29, 0.9, 0.62, 0.66], losses: [0.6, 0.62, 0.65], dev: [null], learningRate: 0.5 })).toBeNull();
  });

  it('names the best dev accuracy only when the row shows a higher one than the end', () => {
    expect(check({ ...lr50, dev: [0.097, 0.097, 0.097, 0.097, 0.097] })).toContain('(9.7%, 10 classes):');
    expect(check({ ...lr50, dev: [0.0971, 0.097, 0.097, 0.097, 0.097] })).toContain('(9.7%, 10 classes):'); // the same to 0.1%
  });

  it('reads a full-batch run of 1,000,000 epochs (a point each) without overflowing the stack', () => {
    const losses = Array.from({ length: 1_000_000 }, (_, i) => (i === 1 ? 40 : 2.3));
    expect(check({ steps: losses.slice(0, 100), losses, dev: losses.map(() => 0.1), learningRate: 50 })).toContain('40.0 at its highest');
  });

  it('a run that learned, even through an early spike, stays quiet', () => {
    expect(check({ steps: [2.29, 30, 1.2, 0.7], losses: [1.31, 0.704], dev: [0.745, 0.816], learningRate: 0.1 })).toBeNull();
  });
});

describe('chanceLevel', () => {
  it('is the larger of 1/classes and the most common class’s share of the dev set', () => {
    expect(chanceLevel(confusion())).toBeCloseTo(0.119, 6);
    expect(chanceLevel([[5, 5], [0, 10]])).toBe(0.5);
    expect(chanceLevel([[70, 10], [10, 10]])).toBe(0.8);
    expect(chanceLevel([[0, 0], [0, 0]])).toBe(0.5);
  });
});

describe('lossText', () => {
  it('writes small losses with two decimals, larger with three digits, huge ones whole', () => {
    expect([lossText(2.2888), lossText(17.5302), lossText(207205.7383)]).toEqual(['2.29', '17.5', '207,206']);
  });
});
