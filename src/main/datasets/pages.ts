// Pages of images for the thumbnail grid and the examples behind any list of rows. Pure TS.
import type { DatasetData } from '../../shared/dataset';
import type { ExamplePage, RowSubset } from '../../shared/datasets';

/** Copies the images of `indices` into one block (count × width·height) with their labels. */
export function examplePage(data: DatasetData, indices: ArrayLike<number>, total: number, start: number): ExamplePage {
  const size = data.width * data.height;
  const pixels = new Uint8Array(indices.length * size);
  const list: number[] = [];
  for (let k = 0; k < indices.length; k++) {
    const r = indices[k];
    if (!(Number.isInteger(r) && r >= 0 && r < data.rows)) throw new Error(`row ${r} is out of range (the data set has rows 0–${data.rows - 1})`);
    pixels.set(data.pixels.subarray(r * size, (r + 1) * size), k * size);
    list.push(r);
  }
  const labels = data.labels ? list.map((r) => (data.labels as Uint8Array)[r]) : null;
  return { total, start, width: data.width, height: data.height, indices: list, labels, pixels };
}

/** The rows a grid lists: all rows, the train or dev part, each optionally of one class; ascending. */
export function listRows(subset: RowSubset, split: { train: Uint32Array; dev: Uint32Array }, classRows: Uint32Array | null): Uint32Array | null {
  // null means "all rows 0…rows−1" without materialising them.
  if (subset === 'all') return classRows;
  const part = subset === 'train' ? split.train : split.dev;
  if (!classRows) return part;
  const out: number[] = [];
  // Both ascending: merge.
  for (let a = 0, b = 0; a < part.length && b < classRows.length; ) {
    if (part[a] === classRows[b]) {
      out.push(part[a]);
      a++;
      b++;
    } else if (part[a] < classRows[b]) a++;
    else b++;
  }
  return Uint32Array.from(out);
}

/** A page of `count` images from position `start` of the list (null = all rows). */
export function pageOf(data: DatasetData, list: Uint32Array | null, start: number, count: number): ExamplePage {
  const total = list ? list.length : data.rows;
  const from = Math.min(start, total);
  const to = Math.min(total, from + count);
  const indices = list ? list.subarray(from, to) : Uint32Array.from({ length: to - from }, (_, k) => from + k);
  return examplePage(data, indices, total, from);
}
