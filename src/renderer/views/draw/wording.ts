// What the Draw view asks for, in the data set's words: "a digit" for MNIST's classes, the classes
// themselves otherwise.
import { aClass, classesAreNumbers } from '../evaluate/confusion';

const LISTED = 12;

/**
 * What to draw: "a digit" for the classes 0–9; "a 0 or a 1" for two or three classes; "a number from 0 to
 * 25" for more numbered ones; "one of the 10 classes (T-shirt/top, Trouser, …)" for named ones (the first
 * 12 names, then "…").
 */
export function whatToDraw(names: readonly string[]): string {
  const K = names.length;
  const numbered = classesAreNumbers(names);
  if (numbered && K === 10) return 'a digit';
  if (K >= 1 && K <= 3) return K === 1 ? aClass(names[0]) : `${names.slice(0, -1).map(aClass).join(', ')} or ${aClass(names[K - 1])}`;
  if (numbered) return `a number from 0 to ${K - 1}`;
  const listed = names.slice(0, LISTED).join(', ') + (K > LISTED ? ', …' : '');
  return `one of the ${K} classes (${listed})`;
}
