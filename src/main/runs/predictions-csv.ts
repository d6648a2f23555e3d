// A run's predictions for a data set as CSV: one line per image, in the data set's order — its row (its number in
// the file, from 1, as the Data view counts: rows left out by "skip bad rows" keep their numbers), its true class when the file has labels, the class predicted, that class's name and
// probability, then the probability of every class. Values: up to 6 decimals. An image the model gave no answer
// for (probabilities that are not numbers) has its predicted class, name and probability empty.
import { fileRowNumber } from '../../shared/datasets';
import { argmax, isAnswer } from '../../shared/metrics';

const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const decimal = (p: number) => String(Number(p.toFixed(6)));

/** probs: [rows, labels.length] row-major; trueLabels: the data's labels (null: an unlabeled file); skippedRows: the
 *  places of the file's rows left out when it was read (SkippedRows.rows). */
export function predictionsCsv(probs: Float32Array, labels: readonly string[], trueLabels: Uint8Array | null, skippedRows: readonly number[] = []): string {
  return [...predictionsCsvBlocks(probs, labels, trueLabels, skippedRows)].join('');
}

/** The same text in blocks: the header line, then the lines of `rowsPerBlock` rows at a time, so that a caller can
 *  give its event loop a turn between blocks (1,000 lines take ~4–5 ms; 60,000, 0.2–0.3 s). */
export function* predictionsCsvBlocks(probs: Float32Array, labels: readonly string[], trueLabels: Uint8Array | null, skippedRows: readonly number[] = [], rowsPerBlock = 1000): Generator<string> {
  const rows = probs.length / labels.length;
  const header = ['row', ...(trueLabels ? ['label'] : []), 'predicted', 'name', 'probability', ...labels.map((name) => quote(`p(${name})`))];
  yield header.join(',') + '\n';
  for (let from = 0; from < rows; from += rowsPerBlock) yield csvLines(probs, labels, trueLabels, skippedRows, from, Math.min(rows, from + rowsPerBlock));
}

/** The lines of rows [from, to), each ending in a newline. */
function csvLines(probs: Float32Array, labels: readonly string[], trueLabels: Uint8Array | null, skippedRows: readonly number[], from: number, to: number): string {
  const K = labels.length;
  let text = '';
  for (let r = from; r < to; r++) {
    const at = r * K;
    const each: string[] = [];
    for (let k = 0; k < K; k++) each.push(decimal(probs[at + k]));
    const best = isAnswer(probs, at, K) ? argmax(probs, at, K) : -1;
    const answer = best >= 0 ? [String(best), quote(labels[best]), decimal(probs[at + best])] : ['', '', ''];
    text += [String(fileRowNumber(r, skippedRows)), ...(trueLabels ? [String(trueLabels[r])] : []), ...answer, ...each].join(',') + '\n';
  }
  return text;
}
