// A run row's facts line (epoch, loss, best dev accuracy, …) as data: the row draws each fact with its value
// in bold, and its tooltip reads them all in one line.
import type { RunSummary } from '../../../shared/api/runs';
import { formatAccuracy, formatEpoch, formatLoss } from '../../lib/format';
import { formatCount, formatRate, formatSeconds } from './format';

/** One fact: `label value suffix` ('epoch 3.50 / 5', '48k samples/s'); `testid` marks the value for the e2e specs. */
export interface RunFact {
  label: string;
  value: string;
  suffix: string;
  testid?: string;
}

/** The facts, the most needed first — how far the run is, how good, then its time (ETA and speed only while it
 *  runs) — because a narrow row shows only those that fit on one line. `epoch` is where its step count is,
 *  `loss` its last loss (null while unknown), `eta` its time left as formatEta writes it (null when none is). */
export function runFacts(run: RunSummary, epoch: number, loss: number | null, eta: string | null): RunFact[] {
  const { unit, count } = run.config.duration;
  const running = run.status === 'running';
  const facts: (RunFact | null)[] = [
    { label: 'epoch', value: formatEpoch(epoch), suffix: unit === 'epochs' ? ` / ${formatCount(count)}` : '', testid: 'run-epoch' },
    { label: 'loss', value: formatLoss(loss), suffix: '' },
    { label: 'best dev', value: formatAccuracy(run.bestDevAccuracy), suffix: '', testid: 'run-best' },
    run.lastTestAccuracy === null ? null : { label: 'test', value: formatAccuracy(run.lastTestAccuracy), suffix: '' },
    running && eta ? { label: 'ETA', value: eta, suffix: '', testid: 'run-eta' } : null,
    running ? { label: '', value: formatRate(run.progress.samplesPerSecond), suffix: ' samples/s' } : null,
    { label: 'elapsed', value: formatSeconds(run.elapsedSeconds), suffix: '', testid: 'run-elapsed' },
  ];
  return facts.filter((f) => f !== null);
}

/** The facts as one line of text: 'epoch 3.50 / 5 · loss 0.3856 · … · elapsed 12 s'. */
export function factsText(facts: readonly RunFact[]): string {
  return facts.map((f) => `${f.label ? `${f.label} ` : ''}${f.value}${f.suffix}`).join(' · ');
}
