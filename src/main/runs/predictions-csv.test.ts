import { describe, expect, it } from 'vitest';
import { predictionsCsv, predictionsCsvBlocks } from './predictions-csv';

describe('predictions as CSV', () => {
  const probs = Float32Array.of(0.1, 0.7, 0.2, 0.5, 0.25, 0.25, 1 / 3, 1 / 3, 1 / 3);

  it('one line per image: its row, the class predicted (the first of equals), its name and probability, then each class’s', () => {
    expect(predictionsCsv(probs, ['zero', 'one', 'two'], null)).toBe(
      'row,predicted,name,probability,p(zero),p(one),p(two)\n' +
        '1,1,one,0.7,0.1,0.7,0.2\n' +
        '2,0,zero,0.5,0.5,0.25,0.25\n' +
        '3,0,zero,0.333333,0.333333,0.333333,0.333333\n',
    );
  });

  it('a labelled file adds each image’s true class; names with commas or quotes are quoted', () => {
    const csv = predictionsCsv(probs, ['T-shirt, top', 'say "hi"', 'two'], Uint8Array.of(1, 0, 2));
    expect(csv.split('\n')[0]).toBe('row,label,predicted,name,probability,"p(T-shirt, top)","p(say ""hi"")",p(two)');
    expect(csv.split('\n')[1]).toBe('1,1,1,"say ""hi""",0.7,0.1,0.7,0.2');
    expect(csv.split('\n')[2]).toBe('2,0,0,"T-shirt, top",0.5,0.5,0.25,0.25');
  });

  it('an image the model gave no answer for (NaN probabilities) has no predicted class, name or probability', () => {
    expect(predictionsCsv(Float32Array.of(NaN, NaN, 0.4, 0.6), ['a', 'b'], Uint8Array.of(0, 1)).split('\n').slice(1, 3)).toEqual(['1,0,,,,NaN,NaN', '2,1,1,b,0.6,0.4,0.6']);
  });

  it("numbers each image by its row in the file: rows left out when it was read keep their numbers (they were renumbered)", () => {
    // The file's rows 1 and 3 (places 0 and 2) were left out: the data set's rows are the file's 2, 4 and 5.
    const csv = predictionsCsv(probs, ['zero', 'one', 'two'], null, [0, 2]);
    expect(csv.split('\n').slice(1, 4).map((line) => line.split(',')[0])).toEqual(['2', '4', '5']);
  });

  it('in blocks: the header, then rowsPerBlock lines at a time, the same text joined', () => {
    const blocks = [...predictionsCsvBlocks(probs, ['zero', 'one', 'two'], null, [], 2)];
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toBe('row,predicted,name,probability,p(zero),p(one),p(two)\n');
    expect(blocks[2]).toBe('3,0,zero,0.333333,0.333333,0.333333,0.333333\n');
    expect(blocks.join('')).toBe(predictionsCsv(probs, ['zero', 'one', 'two'], null));
  });
});
