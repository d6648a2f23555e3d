import { describe, expect, it } from 'vitest';
import { whatToDraw } from './wording';

const digits = Array.from({ length: 10 }, (_, k) => String(k));
const fashion = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

describe('whatToDraw', () => {
  it('asks for a digit for the classes 0–9', () => {
    expect(whatToDraw(digits)).toBe('a digit');
  });

  it('names two or three classes with their articles', () => {
    expect(whatToDraw(['0', '1'])).toBe('a 0 or a 1');
    expect(whatToDraw(['7', '8', '9'])).toBe('a 7, an 8 or a 9');
    expect(whatToDraw(['cat', 'dog'])).toBe('a cat or a dog');
    expect(whatToDraw(['owl'])).toBe('an owl');
  });

  it('gives the range of more numbered classes', () => {
    expect(whatToDraw(Array.from({ length: 26 }, (_, k) => String(k)))).toBe('a number from 0 to 25');
  });

  it('lists named classes, the first 12 then "…"', () => {
    expect(whatToDraw(fashion)).toBe('one of the 10 classes (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot)');
    const letters = Array.from({ length: 26 }, (_, k) => String.fromCharCode(65 + k));
    expect(whatToDraw(letters)).toBe('one of the 26 classes (A, B, C, D, E, F, G, H, I, J, K, L, …)');
  });

  it('does not call ten numbered classes that are not 0–9 "a digit"', () => {
    expect(whatToDraw(Array.from({ length: 10 }, (_, k) => String(k + 1)))).toBe('one of the 10 classes (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)');
  });
});
