// Which loaded data set the Models view predicts on for a run, before the user picks one, and what to say when
// its labels are not the model's classes. The first one offered was the built-in MNIST sample: a model of letters
// or of Fashion-MNIST "scored" 5% on digits, which a student reads as a broken model.
import type { RunSummary } from '../../../shared/api/runs';

/** What the choice needs of a loaded data set (a DatasetSummary). */
export interface PredictableData {
  id: string;
  name: string;
  fingerprint: string;
  labeled: boolean;
  classes: number;
  classNames: readonly string[];
}

/**
 * The data set to predict on among `choices` (those of the run's image size): the one picked, else an unlabeled one
 * (what predicting is for), else the run's own test set, else one of its classes other than the file it trained on
 * (fashion_test for a Fashion model), else the file it trained on, else one of its classes, else the first.
 * `modelClasses`: how many classes the model tells apart, when the page knows (null: not known).
 */
export function datasetToPredict<D extends PredictableData>(run: RunSummary, choices: readonly D[], modelClasses: number | null, picked?: string): D | null {
  const names = run.imported?.labels;
  const itsClasses = (d: D) =>
    d.labeled && (names ? d.classNames.length === names.length && d.classNames.every((name, k) => name === names[k]) : d.classes === modelClasses);
  const trainedOn = (d: D) => d.id === run.datasetId || d.fingerprint === run.dataset?.fingerprint;
  return (
    choices.find((d) => d.id === picked) ??
    choices.find((d) => !d.labeled) ??
    choices.find((d) => run.dataset?.test?.fingerprint !== undefined && d.fingerprint === run.dataset.test.fingerprint) ??
    choices.find((d) => itsClasses(d) && !trainedOn(d)) ??
    choices.find(trainedOn) ??
    choices.find(itsClasses) ??
    choices[0] ??
    null
  );
}

/** " Its labels are 27 classes; the model tells 10 apart: this accuracy says little of it." when a labelled data set's
 *  classes are not as many as the model's, else nothing. */
export function classMismatchText(data: PredictableData, modelClasses: number | null): string {
  if (!data.labeled || modelClasses === null || data.classes === modelClasses) return '';
  return ` ${data.name}'s labels are ${data.classes} classes; the model tells ${modelClasses} apart: this accuracy says little of it.`;
}
