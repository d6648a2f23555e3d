import { describe, expect, it } from 'vitest';
import { type NamedData, testSetProblem, trainingSetProblem } from './run-data-checks';

const set = (name: string, classes: number, { width = 28, height = 28, labelled = true } = {}): NamedData => ({
  name,
  data: { labels: labelled ? Uint8Array.from({ length: Math.max(1, classes) }, (_, k) => k) : null, width, height, classes },
});

describe('the data a run is asked to start on', () => {
  it('a training set needs labels and 2 classes', () => {
    expect(trainingSetProblem(set('a.csv', 10))).toBeNull();
    expect(trainingSetProblem(set('a.csv', 2))).toBeNull();
    expect(trainingSetProblem(set('a.csv', 1))).toBe('every label in a.csv is 0: a network learns to tell at least 2 classes apart');
    expect(trainingSetProblem(set('a.csv', 0, { labelled: false }))).toBe('a.csv has no labels: training needs a labelled file');
    // One class that is not 0 (every label 3: 4 classes by the largest label) is one class all the same.
    expect(trainingSetProblem({ name: 'threes.csv', data: { labels: new Uint8Array(50).fill(3), width: 28, height: 28, classes: 4 } })).toBe(
      'every label in threes.csv is 3: a network learns to tell at least 2 classes apart',
    );
  });

  it('a test set needs labels, the training images’ size (not only their pixel count), and no class the training set lacks', () => {
    const train = set('train.csv', 10);
    expect(testSetProblem(train, set('test.csv', 10))).toBeNull();
    expect(testSetProblem(train, set('test.csv', 3))).toBeNull(); // fewer classes: fine (a short test file)
    expect(testSetProblem(train, set('test.csv', 10, { labelled: false }))).toBe('the test file test.csv has no labels: a test set is measured against its labels');
    expect(testSetProblem(train, set('test.csv', 10, { width: 14, height: 56 }))).toBe(
      'the test images (test.csv) are 14×56 but the training images (train.csv) are 28×28',
    );
    expect(testSetProblem(train, set('test.csv', 12))).toBe('the test file test.csv has labels up to 11 but the training file train.csv only up to 9');
  });
});
