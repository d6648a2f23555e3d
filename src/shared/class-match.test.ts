import { describe, expect, it } from 'vitest';
import { classMismatchText, type ClassesOf } from './class-match';

const numbered = (K: number) => Array.from({ length: K }, (_, k) => String(k));
const data = (name: string, over: Partial<ClassesOf> = {}): ClassesOf => ({ name, labeled: true, classes: 10, classNames: numbered(10), ...over });
const sample = data('sample.csv');
const letterNames = numbered(27);
const fashion = data('fashion.csv', { classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] });
const unlabelled = data('unlabelled.csv', { labeled: false, classes: 0, classNames: [] });

describe('classMismatchText', () => {
  it('says when a labelled file\'s classes are not the model\'s — their count, or their names — and nothing otherwise', () => {
    expect(classMismatchText(sample, letterNames)).toBe(" sample.csv's labels are 10 classes; the model tells 27 apart: this accuracy says little of it.");
    expect(classMismatchText(fashion, numbered(10))).toBe(" fashion.csv's classes (T-shirt/top, Trouser, Pullover, …) are not the model's (0, 1, 2, …): this accuracy says little of it.");
    expect(classMismatchText(sample, numbered(10))).toBe('');
    expect(classMismatchText(unlabelled, letterNames)).toBe('');
    expect(classMismatchText(sample, null)).toBe('');
  });
});
