// A run's predictions for a data set as CSV: one line per image, in the data set's order — its row (1-based, as
// the Data view counts), its true class when the file has labels, the class predicted, that class's name and
// probability, then the probability of every class. Values: up to 6 decimals.
const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const decimal = (p: number) => String(Number(p.toFixed(6)));

/** probs: [rows, labels.length] row-major; trueLabels: the data's labels (null: an unlabeled file). */
export function predictionsCsv(probs: Float32Array, labels: readonly string[], trueLabels: Uint8Array | null): string {
  const K = labels.length;
  const rows = probs.length / K;
  const header = ['row', ...(trueLabels ? ['label'] : []), 'predicted', 'name', 'probability', ...labels.map((name) => quote(`p(${name})`))];
  const lines = [header.join(',')];
  for (let r = 0; r < rows; r++) {
    const at = r * K;
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[at + k] > probs[at + best]) best = k;
    const each: string[] = [];
    for (let k = 0; k < K; k++) each.push(decimal(probs[at + k]));
    lines.push([String(r + 1), ...(trueLabels ? [String(trueLabels[r])] : []), String(best), quote(labels[best]), decimal(probs[at + best]), ...each].join(','));
  }
  return lines.join('\n') + '\n';
}
