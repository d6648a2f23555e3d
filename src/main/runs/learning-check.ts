// Whether a run that ended (completed or stopped) learned nothing because its learning rate is too high: the
// app calls a run diverged only when its loss becomes NaN/Infinity, and a run at learning rate 50 "completes"
// at chance level with finite losses. Checked once, when the run ends, from its history; the answer is a
// notice in the user's words, with the figures, or null.
import type { EpochPoint, RunSummary, StepPoint } from '../../shared/api/runs';

/** Dev accuracy at most this far above chance counts as chance level (10 classes: 10% → below 15%). */
export const CHANCE_MARGIN = 0.05;
/** The loss rose when it reached at least this many times its first measured value. */
export const RISE_FACTOR = 1.5;
/** The loss went up over the epochs when the last complete epoch's mean is more than this share above the
 *  first's (a flat loss, to float noise, says nothing about the rate being too high). */
export const EPOCH_RISE = 0.01;

/** The chance level of a dev set with this confusion matrix ([true][predicted]): the larger of 1/classes
 *  and the share of its most common class (a network that always answers that class scores it). */
export function chanceLevel(confusion: number[][]): number {
  const counts = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const total = counts.reduce((a, b) => a + b, 0);
  return total > 0 ? Math.max(1 / confusion.length, Math.max(...counts) / total) : 1 / Math.max(1, confusion.length);
}

/** The training loss of the first and the last complete epoch when the last is more than EPOCH_RISE above the
 *  first, else null. Each is the mean over a whole epoch of the training set, so the two compare like for like
 *  (the first step point is one batch's loss: at batch 64 it is off by ±4%, which a run whose learning rate is
 *  too small never makes up in an epoch). A partial last epoch (a stop inside it) is a few batches: left out. */
export function epochRise(epochs: readonly EpochPoint[]): { first: number; last: number } | null {
  const complete = (p: EpochPoint) => p.atEpoch === undefined || p.atEpoch >= p.epoch;
  const first = epochs.find(complete);
  let last: EpochPoint | undefined;
  for (let i = epochs.length - 1; i >= 0 && !last; i--) if (complete(epochs[i])) last = epochs[i];
  if (!first || !last || first === last) return null;
  return last.trainLoss > first.trainLoss * (1 + EPOCH_RISE) ? { first: first.trainLoss, last: last.trainLoss } : null;
}

type Checked = Pick<RunSummary, 'status' | 'lastDevAccuracy' | 'bestDevAccuracy' | 'confusion' | 'config'>;

/**
 * The notice of a run that did not learn, or null. It must have ended completed or stopped (a diverged run has
 * its own error; a queued or running one is not done), and its training loss must have gone up:
 * - its last complete epoch's mean loss is above its first's (epochRise): the loss crept up over the epochs;
 * - or its loss reached RISE_FACTOR × its first measured loss (the first step point: the starting network's
 *   loss on the first batch) — the sign of steps too big.
 * With a dev set, its dev accuracy at the end must also be within CHANCE_MARGIN of chance level (a run whose
 * loss spiked and came back down may have learned). Without one, the loss alone tells: it must end above its
 * start, and either at least RISE_FACTOR × its start or above its first epoch as above (one epoch ending a
 * little above its first batch is that batch's luck; a run whose loss fell in its first epoch and crept up
 * later went down).
 * A run whose learning rate is too small stays near chance too, but its loss creeps down (or wobbles by a
 * batch's noise), and a run stopped after a few steps has not moved yet: neither is told its rate is too high.
 * `summary` is the run's summary once its result is applied (its last dev accuracy and confusion are the
 * final weights'); `steps` and `epochs` its history.
 */
export function notLearningNotice(summary: Checked, steps: readonly StepPoint[], epochs: readonly EpochPoint[]): string | null {
  if (summary.status !== 'completed' && summary.status !== 'stopped') return null;
  const last = epochs.at(-1);
  if (!last || steps.length === 0) return null;
  const start = steps[0].loss;
  const end = last.trainLoss;
  if (!(start > 0) || !Number.isFinite(end)) return null;
  // A loop, not Math.max(...points): a full-batch run has a point per epoch, and with a few hundred thousand
  // arguments (as many as the stack holds) the spread throws, and the run would never finish.
  let highest = -Infinity;
  for (const p of steps) highest = Math.max(highest, p.loss);
  for (const p of epochs) highest = Math.max(highest, p.trainLoss);
  const crept = epochRise(epochs);
  const dev = devAtChance(summary);
  if (dev === null) return null;
  const rose = dev === 'none' ? end >= start && (end >= RISE_FACTOR * start || crept !== null) : highest >= RISE_FACTOR * start || crept !== null;
  if (!rose) return null;
  // Its highest loss, when well above the end and not the start itself (an unlucky first batch).
  const peak = highest > end * 1.01 && highest > start ? `, ${lossText(highest)} at its highest` : '';
  const loss =
    end >= start
      ? `The loss did not go down (${lossText(start)} at the start, ${lossText(end)} in the last epoch${peak})`
      : crept
        ? `The loss did not go down (${lossText(crept.first)} in the first epoch, ${lossText(crept.last)} in the last${peak})`
        : `The loss went up before it came down (${lossText(start)} at the start, ${lossText(highest)} at its highest, ${lossText(end)} in the last epoch)`;
  const lr = summary.config.learningRate;
  const advice = `the learning rate (${lr}) is probably too high — try 10× lower (${Number((lr / 10).toPrecision(3))}).`;
  return dev === 'none' ? `${loss}: ${advice}` : `${loss} and the dev accuracy ends at chance level (${dev}): ${advice}`;
}

/** A run's dev accuracy at the end as the notice tells it ('9.7%, 10 classes; best 11.3%': the best, as the
 *  run's row shows it, when it was higher), 'none' without a dev accuracy, or null when it is above chance. */
function devAtChance({ lastDevAccuracy: accuracy, bestDevAccuracy: best, confusion }: Checked): string | 'none' | null {
  if (accuracy === null || confusion.length === 0) return 'none';
  if (accuracy >= chanceLevel(confusion) + CHANCE_MARGIN) return null;
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  const higherBest = best !== null && percent(best) !== percent(accuracy) && best > accuracy ? `; best ${percent(best)}` : '';
  return `${percent(accuracy)}, ${confusion.length} classes${higherBest}`;
}

/** A loss as the notice shows it: 2.30, 16.6, 15,649. */
export function lossText(x: number): string {
  if (x < 10) return x.toFixed(2);
  if (x < 1000) return x.toPrecision(3);
  return Math.round(x).toLocaleString('en-US');
}
