import { describe, expect, it } from 'vitest';
import { defaultFraming, framingText } from './framing';

const digits = Array.from({ length: 10 }, (_, k) => String(k));
const fashion = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

describe('defaultFraming', () => {
  it('frames as a digit for the classes 0…n−1, and while the classes are not known', () => {
    expect(defaultFraming(digits)).toBe('digit');
    expect(defaultFraming(['0', '1'])).toBe('digit');
    expect(defaultFraming(Array.from({ length: 26 }, (_, k) => String(k)))).toBe('digit');
    expect(defaultFraming([])).toBe('digit');
  });

  it('frames as an item for Fashion-MNIST’s names or any named classes', () => {
    expect(defaultFraming(fashion)).toBe('item');
    expect(defaultFraming(['cat', 'dog'])).toBe('item');
    expect(defaultFraming(['0', '1', 'other'])).toBe('item');
  });

  it('frames numbered classes that are not 0…n−1 as items', () => {
    expect(defaultFraming(Array.from({ length: 10 }, (_, k) => String(k + 1)))).toBe('item');
    expect(defaultFraming(['1', '0'])).toBe('item');
  });
});

describe('framingText', () => {
  it('says how a digit is framed, with MNIST’s 20 in 28 for other sizes', () => {
    expect(framingText('digit', 28, 28)).toBe("your drawing cropped, scaled to 20 pixels and centred in 28×28, as MNIST's digits were made.");
    expect(framingText('digit', 8, 8)).toBe("your drawing cropped, scaled to 6 pixels and centred in 8×8, as MNIST's digits were made (20 pixels in 28×28).");
  });

  it('says an item fills the frame', () => {
    expect(framingText('item', 28, 28)).toBe("your drawing cropped, scaled to fill 28×28 keeping its shape, and centred, as Fashion-MNIST's items were made: the drawing fills the frame.");
    expect(framingText('item', 32, 20)).toContain('scaled to fill 32×20');
  });
});
