import { describe, expect, it } from 'vitest';
import { runSummary } from '../../state/test-support';
import { classMismatchText, datasetToPredict, type PredictableData } from './predict-choice';

const digits = (k: number) => String(k);
const data = (id: string, over: Partial<PredictableData> = {}): PredictableData => ({
  id, name: `${id}.csv`, fingerprint: `fp-${id}`, labeled: true, classes: 10, classNames: Array.from({ length: 10 }, (_, k) => digits(k)), ...over,
});
const sample = data('sample');
const letters = data('letters', { classes: 27, classNames: Array.from({ length: 27 }, (_, k) => String.fromCharCode(64 + k)) });
const lettersTest = data('letters-test', { classes: 27, classNames: letters.classNames });
const unlabelled = data('unlabelled', { labeled: false, classes: 0, classNames: [] });

describe('the data set the Models view predicts on by default', () => {
  const lettersRun = runSummary({ datasetId: 'letters', datasetName: 'letters.csv' });

  it('not the first loaded one (the built-in digits) for a model of other classes: another file of its classes, else its own', () => {
    expect(datasetToPredict(lettersRun, [sample, letters, lettersTest], 27)?.id).toBe('letters-test');
    expect(datasetToPredict(lettersRun, [sample, letters], 27)?.id).toBe('letters');
    expect(datasetToPredict(lettersRun, [sample], 27)?.id).toBe('sample'); // nothing better loaded
  });

  it('an unlabeled file first (what predicting is for), then its own test set; the one picked over all', () => {
    expect(datasetToPredict(lettersRun, [sample, letters, lettersTest, unlabelled], 27)?.id).toBe('unlabelled');
    const withTest = runSummary({ datasetId: 'letters', dataset: { fingerprint: 'fp-letters', rows: 1, width: 28, height: 28, split: { kind: 'first', devRows: 0 }, test: { fingerprint: 'fp-letters-test', name: 'x', rows: 1 } } });
    expect(datasetToPredict(withTest, [sample, data('other-letters', { classes: 27 }), letters, lettersTest], 27)?.id).toBe('letters-test');
    expect(datasetToPredict(lettersRun, [sample, letters, unlabelled], 27, 'sample')?.id).toBe('sample');
    expect(datasetToPredict(lettersRun, [], 27)).toBeNull();
  });

  it('an imported model\'s classes are its names: a file with them (Fashion-MNIST\'s), not the digits', () => {
    const fashionNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
    const imported = runSummary({ datasetId: '', datasetName: 'fashion_train.csv', imported: { fileName: 'f.json', width: 28, height: 28, labels: fashionNames } });
    const fashion = data('fashion', { classNames: fashionNames });
    expect(datasetToPredict(imported, [sample, fashion], 10)?.id).toBe('fashion');
  });
});

describe('classMismatchText', () => {
  it('says when a labelled file\'s classes are not the model\'s, and nothing otherwise', () => {
    expect(classMismatchText(sample, 27)).toBe(" sample.csv's labels are 10 classes; the model tells 27 apart: this accuracy says little of it.");
    expect(classMismatchText(sample, 10)).toBe('');
    expect(classMismatchText(unlabelled, 27)).toBe('');
    expect(classMismatchText(sample, null)).toBe('');
  });
});
