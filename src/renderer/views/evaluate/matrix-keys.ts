// Moving the keyboard focus inside the confusion matrix (the ARIA grid pattern): the matrix is one Tab stop
// and these keys move between its n×n cells. Pure, so the moves are tested without a page.

/** A cell of the matrix: its row (the true class) and column (the predicted class). */
export interface MatrixCell {
  truth: number;
  predicted: number;
}

/**
 * The cell a key moves to from (truth, predicted) in an n×n matrix, or null for a key that does not move
 * (Tab, Enter, letters… — the page handles those). Arrows move one cell and stop at the edges; Home and End
 * go to the row's first and last cell; with Ctrl (or ⌘), Home and End go to the matrix's first and last cell.
 */
export function nextCell(truth: number, predicted: number, key: string, n: number, ctrl = false): MatrixCell | null {
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`a matrix has at least one row, not ${n}`);
  const last = n - 1;
  const clamp = (k: number) => Math.min(last, Math.max(0, k));
  const [t, p] = [clamp(truth), clamp(predicted)];
  switch (key) {
    case 'ArrowUp': return { truth: clamp(t - 1), predicted: p };
    case 'ArrowDown': return { truth: clamp(t + 1), predicted: p };
    case 'ArrowLeft': return { truth: t, predicted: clamp(p - 1) };
    case 'ArrowRight': return { truth: t, predicted: clamp(p + 1) };
    case 'Home': return ctrl ? { truth: 0, predicted: 0 } : { truth: t, predicted: 0 };
    case 'End': return ctrl ? { truth: last, predicted: last } : { truth: t, predicted: last };
    default: return null;
  }
}

/** The cell that holds the matrix's one Tab stop: the last one focused (or picked), while it is inside an n×n matrix; else the first. */
export function tabStop(last: MatrixCell | null, n: number): MatrixCell {
  return last && last.truth >= 0 && last.truth < n && last.predicted >= 0 && last.predicted < n ? last : { truth: 0, predicted: 0 };
}
