import { describe, expect, it } from 'vitest';
import { runSummary } from '../../state/test-support';
import { datasetToPredict, type PredictableData } from './predict-choice';

const numbered = (K: number) => Array.from({ length: K }, (_, k) => String(k));
const fashionNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const data = (id: string, over: Partial<PredictableData> = {}): PredictableData => ({
  id, name: `${id}.csv`, fingerprint: `fp-${id}`, labeled: true, classes: 10, classNames: numbered(10), ...over,
});
const sample = data('sample');
const letterNames = numbered(27);
const letters = data('letters', { classes: 27, classNames: letterNames });
const lettersTest = data('letters-test', { classes: 27, classNames: letterNames });
const fashion = data('fashion', { classNames: fashionNames });
const unlabelled = data('unlabelled', { labeled: false, classes: 0, classNames: [] });

describe('the data set the Models view predicts on by default', () => {
  const lettersRun = runSummary({ datasetId: 'letters', datasetName: 'letters.csv' });

  it('not the first loaded one (the built-in digits) for a model of other classes: another file of its classes, else its own', () => {
    expect(datasetToPredict(lettersRun, [sample, letters, lettersTest], letterNames)?.id).toBe('letters-test');
    expect(datasetToPredict(lettersRun, [sample, letters], letterNames)?.id).toBe('letters');
    expect(datasetToPredict(lettersRun, [sample], letterNames)?.id).toBe('sample'); // nothing better loaded
  });

  it('as many classes is not the same classes: a digits model is not sent to Fashion-MNIST', () => {
    const digitsRun = runSummary({ datasetId: 'sample', datasetName: 'Built-in MNIST sample' });
    expect(datasetToPredict(digitsRun, [fashion, sample], numbered(10))?.id).toBe('sample');
    expect(datasetToPredict(digitsRun, [fashion, sample, data('digits-test')], numbered(10))?.id).toBe('digits-test');
    expect(datasetToPredict(digitsRun, [fashion, sample], null)?.id).toBe('sample'); // names not known: its own file
  });

  it('an unlabeled file first (what predicting is for), then its own test set; the one picked over all', () => {
    expect(datasetToPredict(lettersRun, [sample, letters, lettersTest, unlabelled], letterNames)?.id).toBe('unlabelled');
    const withTest = runSummary({ datasetId: 'letters', dataset: { fingerprint: 'fp-letters', rows: 1, width: 28, height: 28, split: { kind: 'first', devRows: 0 }, test: { fingerprint: 'fp-letters-test', name: 'x', rows: 1 } } });
    expect(datasetToPredict(withTest, [sample, data('other-letters', { classes: 27, classNames: letterNames }), letters, lettersTest], letterNames)?.id).toBe('letters-test');
    expect(datasetToPredict(lettersRun, [sample, letters, unlabelled], letterNames, 'sample')?.id).toBe('sample');
    expect(datasetToPredict(lettersRun, [], letterNames)).toBeNull();
  });

  it('an imported model\'s classes are its file\'s names: a file with them (Fashion-MNIST\'s), not the digits', () => {
    const imported = runSummary({ datasetId: '', datasetName: 'fashion_train.csv', imported: { fileName: 'f.json', width: 28, height: 28, labels: fashionNames } });
    expect(datasetToPredict(imported, [sample, fashion], fashionNames)?.id).toBe('fashion');
  });
});
