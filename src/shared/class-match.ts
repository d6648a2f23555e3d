// Whether a labelled data set's classes are a model's, and what to say beside an accuracy when they are not: the
// Models view's predictions, Evaluate's measure form and the CLI's predict. A count of classes alone says little
// (digits and Fashion-MNIST both have 10); their names say more. Pure TS.

/** What the comparison needs of a data set: its name, whether it has labels, its classes and their names. */
export interface ClassesOf {
  name: string;
  labeled: boolean;
  classes: number;
  classNames: readonly string[];
}

/** Whether a labelled data set's classes are the model's: as many, with the same names. */
export function sameClasses(data: Pick<ClassesOf, 'labeled' | 'classNames'>, modelNames: readonly string[] | null): boolean {
  return data.labeled && modelNames !== null && data.classNames.length === modelNames.length && data.classNames.every((name, k) => name === modelNames[k]);
}

/** " sample.csv's labels are 10 classes; the model tells 27 apart: this accuracy says little of it." when a labelled
 *  data set's classes are not the model's (their count, or their names: Fashion-MNIST's items for a digits model),
 *  else nothing. */
export function classMismatchText(data: ClassesOf, modelNames: readonly string[] | null): string {
  if (!data.labeled || modelNames === null || sameClasses(data, modelNames)) return '';
  const few = (names: readonly string[]) => names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
  const what =
    data.classes !== modelNames.length
      ? `${data.name}'s labels are ${data.classes} classes; the model tells ${modelNames.length} apart`
      : `${data.name}'s classes (${few(data.classNames)}) are not the model's (${few(modelNames)})`;
  return ` ${what}: this accuracy says little of it.`;
}
