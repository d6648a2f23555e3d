import { describe, expect, it } from 'vitest';
import { datasetToTrainOn, trainChoiceAfter } from './train-dataset';

const ds = (id: string, testId: string | null = null) => ({ id, split: { testId } });

describe('datasetToTrainOn', () => {
  it('the newest data set, unless it is another one’s test set', () => {
    expect(datasetToTrainOn([ds('sample'), ds('train', 'test'), ds('test')])).toBe('train');
    expect(datasetToTrainOn([ds('a'), ds('b')])).toBe('b');
    expect(datasetToTrainOn([ds('t', 't')])).toBe('t'); // only test sets: the newest still
    expect(datasetToTrainOn([])).toBeNull();
  });
});

describe('trainChoiceAfter', () => {
  it('opening a test file for the chosen data set leaves the choice on the data set, whatever order the news comes in', () => {
    // the test file loads (new), then the training set's split names it
    let chosen: string | null = 'train';
    chosen = trainChoiceAfter(chosen, ds('test'), true, [ds('train'), ds('test')]);
    chosen = trainChoiceAfter(chosen, ds('train', 'test'), false, [ds('train', 'test'), ds('test')]);
    expect(chosen).toBe('train');
    // the split first, then the test file's own news
    chosen = trainChoiceAfter('train', ds('train', 'test2'), false, [ds('train', 'test2')]);
    expect(trainChoiceAfter(chosen, ds('test2'), true, [ds('train', 'test2'), ds('test2')])).toBe('train');
  });
  it('a new data set becomes the choice; a changed one keeps the choice as it was', () => {
    expect(trainChoiceAfter('a', ds('b'), true, [ds('a'), ds('b')])).toBe('b');
    expect(trainChoiceAfter('a', ds('b'), false, [ds('a'), ds('b')])).toBe('a');
    expect(trainChoiceAfter(null, ds('a'), true, [ds('a')])).toBe('a');
  });
});
