// Which data set the Train view trains on by default. A file opened as another data set's test set is loaded
// like any data set, and the newest one loaded used to become the one to train on: Start then trained on the
// test file (fashion_test.csv), with no test set. The data sets it tests come first.

/** What is needed of a data set here: its id and the test set its split names. */
interface WithTest {
  id: string;
  split: { testId: string | null };
}

/** The newest data set that is no other's test set (else the newest); null when none is open. */
export function datasetToTrainOn(datasets: readonly WithTest[]): string | null {
  const tests = new Set(datasets.map((d) => d.split.testId));
  return [...datasets].reverse().find((d) => !tests.has(d.id))?.id ?? datasets.at(-1)?.id ?? null;
}

/**
 * The data set to train on after `changed` arrived (`isNew`: not known before), given the one chosen now: a new
 * data set becomes the choice, and so does one that now names the chosen one as its test set; a new data set that
 * is already another's test set does not.
 */
export function trainChoiceAfter(chosen: string | null, changed: WithTest, isNew: boolean, datasets: readonly WithTest[]): string | null {
  if (changed.split.testId !== null && changed.split.testId === chosen) return changed.id;
  if (isNew && !datasets.some((d) => d.id !== changed.id && d.split.testId === changed.id)) return changed.id;
  return chosen;
}
