// Writes a data set back as MNIST-in-CSV (`label,1x1,…,28x28`, label first, whole numbers, '\n' line ends):
// the notebook's format. Used by exports and by the round-trip test (CSV → parse → CSV is identical). Pure TS.
import type { DatasetData } from '../../shared/dataset';

/** The notebook's header: `label,1x1,…,HxW` (row x column, 1-based); no label column when unlabeled. */
export function csvHeader(width: number, height: number, labeled: boolean): string {
  const names: string[] = labeled ? ['label'] : [];
  for (let r = 1; r <= height; r++) for (let c = 1; c <= width; c++) names.push(`${r}x${c}`);
  return names.join(',');
}

/** One line per image (no newline). */
export function csvRow(data: DatasetData, row: number): string {
  const size = data.width * data.height;
  const parts: string[] = data.labels ? [String(data.labels[row])] : [];
  for (let k = 0; k < size; k++) parts.push(String(data.pixels[row * size + k]));
  return parts.join(',');
}

/** Yields the file in pieces of `rowsPerPiece` rows, header first, each line ending in '\n'. */
export function* csvPieces(data: DatasetData, rowsPerPiece = 1000): Generator<string> {
  yield csvHeader(data.width, data.height, data.labels !== null) + '\n';
  for (let from = 0; from < data.rows; from += rowsPerPiece) {
    const lines: string[] = [];
    for (let r = from; r < Math.min(data.rows, from + rowsPerPiece); r++) lines.push(csvRow(data, r));
    yield lines.join('\n') + '\n';
  }
}

/** The whole file as one string (small data sets and tests). */
export function formatCsv(data: DatasetData): string {
  return [...csvPieces(data)].join('');
}
