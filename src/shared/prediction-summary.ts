// What a run's (or a model file's) predictions for a data set say about it: how often each class was predicted
// and, when the data set has labels, the accuracy, each class's recall and precision, and the commonest mistakes.
// The CLI's predict prints it; the Models view tells the accuracy of the predictions it saves. Pure.
import { argmax, emptyConfusion, isAnswer, mistakesOf } from './metrics';

/** One class of the summary: how often it was predicted and, for a labelled file, how well it was told. */
export interface ClassSummary {
  class: number;
  name: string;
  predicted: number;
  /** Images truly of this class (labelled files only). */
  images?: number;
  recall?: number;
  precision?: number;
}

export interface PredictionSummary {
  rows: number;
  /** null: the file has no labels. */
  accuracy: number | null;
  correct: number | null;
  /** Images whose label is not one of the model's classes: wrong in the accuracy and in the precision of the class
   *  predicted for them (a prediction of that class that is not right), in no class's images nor recall. */
  unknownLabels: number;
  /** Images the model gave no answer for (probabilities that are not numbers: its outputs overflow): wrong in the
   *  accuracy, predicted as no class. */
  noAnswer: number;
  classes: ClassSummary[];
  /** The three commonest mistakes: [true class, predicted class, count], most first (ordered as mistakesOf). */
  confusions: [number, number, number][];
}

/** What the predictions say about the file. probs: [rows, labels.length] row-major. */
export function summarizePredictions(probs: Float32Array, labels: readonly string[], trueLabels: Uint8Array | null): PredictionSummary {
  const K = labels.length;
  const rows = probs.length / K;
  const predictedCount = new Array<number>(K).fill(0);
  const confusion = emptyConfusion(K);
  const unanswered = new Array<number>(K).fill(0); // per true class
  let correct = 0, unknownLabels = 0, noAnswer = 0;
  for (let r = 0; r < rows; r++) {
    if (!isAnswer(probs, r * K, K)) {
      noAnswer++;
      if (trueLabels && trueLabels[r] >= K) unknownLabels++;
      else if (trueLabels) unanswered[trueLabels[r]]++;
      continue;
    }
    const best = argmax(probs, r * K, K);
    predictedCount[best]++;
    if (!trueLabels) continue;
    const truth = trueLabels[r];
    if (truth >= K) unknownLabels++;
    else confusion[truth][best]++;
    if (truth === best) correct++;
  }
  // An image without an answer is of its class, and not told right: in its class's images and recall. Precision is
  // of every image predicted as the class, those whose label the model has no class for included (as `predicted`).
  const classes = labels.map((name, k): ClassSummary => {
    const images = confusion[k].reduce((a, b) => a + b, 0) + unanswered[k];
    const predicted = predictedCount[k];
    const right = confusion[k][k];
    return {
      class: k,
      name,
      predicted,
      ...(trueLabels && { images, recall: images > 0 ? right / images : 0, precision: predicted > 0 ? right / predicted : 0 }),
    };
  });
  return {
    rows,
    accuracy: trueLabels && rows > 0 ? correct / rows : null,
    correct: trueLabels ? correct : null,
    unknownLabels,
    noAnswer,
    classes,
    confusions: mistakesOf(confusion).slice(0, 3).map(({ truth, predicted, count }): [number, number, number] => [truth, predicted, count]),
  };
}

/** "3 of 300 images got no answer: the model's outputs are not numbers (its weights overflow float32's range)", and
 *  for a labelled file ", so those images count as wrong". */
export function noAnswerText(noAnswer: number, rows: number, labelled: boolean): string {
  const count = noAnswer === rows ? `every image (${rows.toLocaleString('en-US')}) got` : `${noAnswer.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} images got`;
  return `${count} no answer: the model's outputs are not numbers (its weights overflow float32's range)${labelled ? ', so those images count as wrong' : ''}`;
}
