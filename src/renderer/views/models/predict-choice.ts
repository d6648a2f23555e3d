// Which loaded data set the Models view predicts on for a run, before the user picks one, and what to say when
// its labels are not the model's classes. The first one offered was the built-in MNIST sample: a model of letters
// or of Fashion-MNIST "scored" 5% on digits, which a student reads as a broken model.
import type { RunSummary } from '../../../shared/api/runs';
import { type ClassesOf, sameClasses } from '../../../shared/class-match';

/** What the choice needs of a loaded data set (a DatasetSummary). */
export interface PredictableData extends ClassesOf {
  id: string;
  fingerprint: string;
}

/**
 * The data set to predict on among `choices` (those of the run's image size): the one picked, else an unlabeled one
 * (what predicting is for), else the run's own test set, else another file whose classes bear the model's names
 * (fashion_test for a Fashion model), else the file it trained on, else the first. `modelNames`: the model's class
 * names as the page shows them (its data's, its file's, or the class numbers); a file's count of classes alone
 * says little (digits and Fashion-MNIST both have 10).
 */
export function datasetToPredict<D extends PredictableData>(run: RunSummary, choices: readonly D[], modelNames: readonly string[] | null, picked?: string): D | null {
  const trainedOn = (d: D) => d.id === run.datasetId || (run.dataset !== undefined && d.fingerprint === run.dataset.fingerprint);
  return (
    choices.find((d) => d.id === picked) ??
    choices.find((d) => !d.labeled) ??
    choices.find((d) => run.dataset?.test?.fingerprint !== undefined && d.fingerprint === run.dataset.test.fingerprint) ??
    choices.find((d) => sameClasses(d, modelNames) && !trainedOn(d)) ??
    choices.find(trainedOn) ??
    choices.find((d) => sameClasses(d, modelNames)) ??
    choices[0] ??
    null
  );
}
