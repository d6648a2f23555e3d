// How the Draw view frames a drawing for a run, and how it says so: as MNIST's digits were made for a run on
// the digits, as Fashion-MNIST's items were made for a run on named classes (its default; the user can switch).
import { classesAreNumbers } from '../evaluate/confusion';
import { inkBox, type Framing } from './preprocess';

/** The choices, in the order shown, with their labels. */
export const FRAMINGS: ReadonlyArray<{ value: Framing; label: string }> = [
  { value: 'digit', label: 'Digit (MNIST)' },
  { value: 'item', label: 'Item (Fashion-MNIST)' },
];

/** 'digit' when the run's classes are the numbers 0…n−1 (or not known yet: no names), else 'item' (Fashion-MNIST's
 *  names, or any named classes). */
export function defaultFraming(names: readonly string[]): Framing {
  return classesAreNumbers(names) ? 'digit' : 'item';
}

/** What the model sees, after "The model sees the small image: ": how the drawing is framed in width × height. */
export function framingText(framing: Framing, width: number, height: number): string {
  const size = `${width}×${height}`;
  if (framing === 'item') return `your drawing cropped, scaled to fill ${size} keeping its shape, and centred, as Fashion-MNIST's items were made: the drawing fills the frame.`;
  const usual = width === 28 && height === 28 ? '' : ' (20 pixels in 28×28)';
  return `your drawing cropped, scaled to ${inkBox(width, height)} pixels and centred in ${size}, as MNIST's digits were made${usual}.`;
}
