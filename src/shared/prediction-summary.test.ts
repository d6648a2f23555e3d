import { describe, expect, it } from 'vitest';
import { noAnswerText, summarizePredictions } from './prediction-summary';

describe('summarizePredictions', () => {
  const probs = (rows: number[][]) => Float32Array.from(rows.flat());

  it('counts accuracy, each class\'s recall and precision, and the commonest mistakes first', () => {
    // predicted: 0, 1, 0, 0, 2; true: 0, 1, 1, 2, 2
    const p = probs([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.5, 0.4, 0.1], [0.6, 0.1, 0.3], [0.1, 0.1, 0.8]]);
    const s = summarizePredictions(p, ['a', 'b', 'c'], Uint8Array.from([0, 1, 1, 2, 2]));
    expect(s).toMatchObject({ rows: 5, accuracy: 0.6, correct: 3, unknownLabels: 0 });
    expect(s.classes).toEqual([
      { class: 0, name: 'a', predicted: 3, images: 1, recall: 1, precision: 1 / 3 },
      { class: 1, name: 'b', predicted: 1, images: 2, recall: 0.5, precision: 1 },
      { class: 2, name: 'c', predicted: 1, images: 2, recall: 0.5, precision: 1 },
    ]);
    expect(s.confusions).toEqual([[1, 0, 1], [2, 0, 1]]);
  });

  it("lists equal mistakes by their share of the true class, larger first, as Evaluate does (it went by class number)", () => {
    // Class 0: 1 of 4 taken for 2; class 1: 1 of 2 taken for 2 — the worse mistake, listed first.
    const rows: [number[], number][] = [[[1, 0, 0], 0], [[1, 0, 0], 0], [[1, 0, 0], 0], [[0, 0, 1], 0], [[0, 1, 0], 1], [[0, 0, 1], 1]];
    const s = summarizePredictions(probs(rows.map(([p]) => p)), ['a', 'b', 'c'], Uint8Array.from(rows.map(([, label]) => label)));
    expect(s.confusions).toEqual([[1, 2, 1], [0, 2, 1]]);
  });

  it('without labels: only how often each class was predicted', () => {
    const s = summarizePredictions(probs([[0.1, 0.9], [0.3, 0.7], [0.6, 0.4]]), ['x', 'y'], null);
    expect(s).toEqual({ rows: 3, accuracy: null, correct: null, unknownLabels: 0, noAnswer: 0, classes: [{ class: 0, name: 'x', predicted: 1 }, { class: 1, name: 'y', predicted: 2 }], confusions: [] });
  });

  it('a label the model has no class for is counted, and wrong: in the accuracy and the precision of what it was taken for', () => {
    const s = summarizePredictions(probs([[0.9, 0.1], [0.9, 0.1], [0.2, 0.8]]), ['x', 'y'], Uint8Array.from([0, 4, 1]));
    expect(s).toMatchObject({ accuracy: 2 / 3, correct: 2, unknownLabels: 1 });
    expect(s.classes.map((c) => [c.predicted, c.images, c.recall, c.precision])).toEqual([[2, 1, 1, 0.5], [1, 1, 1, 1]]); // x's precision was 1 of 1
  });

  it('an image the model gives no answer for (probabilities that are not numbers) is no class\'s, and wrong', () => {
    const s = summarizePredictions(probs([[NaN, NaN], [0.9, 0.1], [0.2, NaN]]), ['x', 'y'], Uint8Array.from([0, 0, 1]));
    expect(s).toMatchObject({ rows: 3, accuracy: 1 / 3, correct: 1, noAnswer: 2, confusions: [] });
    expect(s.classes.map((c) => c.predicted)).toEqual([1, 0]); // NaN rows were "class 0"
    expect(s.classes.map((c) => [c.images, c.recall])).toEqual([[2, 0.5], [1, 0]]); // of their classes, and not told right
    expect(noAnswerText(2, 3, true)).toBe("2 of 3 images got no answer: the model's outputs are not numbers (its weights overflow float32's range), so those images count as wrong");
    expect(noAnswerText(3, 3, false)).toBe("every image (3) got no answer: the model's outputs are not numbers (its weights overflow float32's range)");
  });
});
