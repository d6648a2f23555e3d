import { describe, expect, it } from 'vitest';
import { RowBuffers } from './csv-rows';

/** How many times the pixels are grown (each a copy of every row so far) while `rows` rows of `rowBytes` bytes
 *  are accepted, as the CSV parser does: room made whenever the next row does not fit. */
function growthsFor(expectedBytes: number | null, rows: number, rowBytes: number): number {
  const out = new RowBuffers(expectedBytes);
  out.start(4, true, rowBytes);
  let growths = 0;
  for (let r = 0; r < rows; r++) {
    if (!out.hasRoomForRow()) {
      const before = out.pixels.capacity;
      out.makeRoom(r * rowBytes);
      if (out.pixels.capacity !== before) growths++;
    }
    out.pixels.bytes.fill(r % 256, r * 4, r * 4 + 4);
    out.accept(r % 10);
  }
  return growths;
}

describe('RowBuffers growth', () => {
  it('sizes for the whole file from its size, once the first rows tell their mean length', () => {
    expect(growthsFor(100_000 * 10, 100_000, 10)).toBeLessThanOrEqual(2);
  });

  it('grows by half when the size is unknown, or once the file has gone past the size it was said to have', () => {
    expect(growthsFor(null, 100_000, 10)).toBeLessThanOrEqual(20);
    // A .gz of several members declares its last member's size: here 10 rows' worth, for 100,000 rows.
    expect(growthsFor(100, 100_000, 10)).toBeLessThanOrEqual(20);
    // Said to be a tenth of its size: sized from it until the rows go past it, then by half.
    expect(growthsFor(10_000 * 10, 100_000, 10)).toBeLessThanOrEqual(20);
  });
});
