// Whether a run that ended (completed or stopped) learned nothing because its learning rate is too high: the
// app calls a run diverged only when its loss becomes NaN/Infinity, and a run at learning rate 50 "completes"
// at chance level with finite losses. Checked once, when the run ends, from its history; the answer is a
// notice in the user's words, with the figures, or null.
import type { EpochPoint, RunSummary, StepPoint } from '../../shared/api/runs';

/** Dev accuracy at most this far above chance counts as chance level (10 classes: 10% → below 15%). */
export const CHANCE_MARGIN = 0.05;
/** The loss rose when it reached at least this many times its first measured value. */
export const RISE_FACTOR = 1.5;

/** The chance level of a dev set with this confusion matrix ([true][predicted]): the larger of 1/classes
 *  and the share of its most common class (a network that always answers that class scores it). */
export function chanceLevel(confusion: number[][]): number {
  const counts = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const total = counts.reduce((a, b) => a + b, 0);
  return total > 0 ? Math.max(1 / confusion.length, Math.max(...counts) / total) : 1 / Math.max(1, confusion.length);
}

/**
 * The notice of a run that did not learn, or null. All of these must hold:
 * - it ended completed or stopped (a diverged run has its own error; a queued or running one is not done);
 * - it has a dev set, and its dev accuracy at the end is within CHANCE_MARGIN of chance level;
 * - its training loss rose to at least RISE_FACTOR × its first measured loss (the first step point: the
 *   starting network's loss on the first batch) — the sign of steps too big. A run whose learning rate is
 *   too small stays near chance too, but its loss only creeps down (or wobbles by a batch's noise), and a run
 *   stopped after a few steps has not moved yet: neither is told its rate is too high.
 * `summary` is the run's summary once its result is applied (its last dev accuracy and confusion are the
 * final weights'); `steps` and `epochs` its history.
 */
export function notLearningNotice(summary: Pick<RunSummary, 'status' | 'lastDevAccuracy' | 'confusion' | 'config'>, steps: readonly StepPoint[], epochs: readonly EpochPoint[]): string | null {
  if (summary.status !== 'completed' && summary.status !== 'stopped') return null;
  const accuracy = summary.lastDevAccuracy;
  const last = epochs.at(-1);
  if (accuracy === null || !last || steps.length === 0 || summary.confusion.length === 0) return null;
  const chance = chanceLevel(summary.confusion);
  if (accuracy >= chance + CHANCE_MARGIN) return null;
  const start = steps[0].loss;
  // A loop, not Math.max(...points): a full-batch run has a point per epoch, and with a few hundred thousand
  // arguments (as many as the stack holds) the spread throws, and the run would never finish.
  let highest = -Infinity;
  for (const p of steps) highest = Math.max(highest, p.loss);
  for (const p of epochs) highest = Math.max(highest, p.trainLoss);
  const end = last.trainLoss;
  if (!(start > 0) || !(highest >= RISE_FACTOR * start)) return null;
  const lr = summary.config.learningRate;
  const loss =
    end >= start
      ? `The loss did not go down (${lossText(start)} at the start, ${lossText(end)} at the end${highest > end * 1.01 ? `, ${lossText(highest)} at its highest` : ''})`
      : `The loss went up before it came down (${lossText(start)} at the start, ${lossText(highest)} at its highest, ${lossText(end)} at the end)`;
  const classes = summary.confusion.length;
  return `${loss} and the dev accuracy is at chance level (${(accuracy * 100).toFixed(1)}%, ${classes} classes): the learning rate (${lr}) is probably too high — try 10× lower (${Number((lr / 10).toPrecision(3))}).`;
}

/** A loss as the notice shows it: 2.30, 16.6, 15,649. */
export function lossText(x: number): string {
  if (x < 10) return x.toFixed(2);
  if (x < 1000) return x.toPrecision(3);
  return Math.round(x).toLocaleString('en-US');
}
