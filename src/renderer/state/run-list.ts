// The Train view's run list as plain functions over summaries: which of two summaries of a run to show, the
// list's order, names that tell runs apart, how the updates batched by RunsState apply at a flush, and which
// run Evaluate and Draw show.
import { endsWithFinal, type RunProgress, type RunSummary } from '../../shared/api/runs';

export type StepEvent = { progress: RunProgress; elapsedSeconds: number };
/** What arrived for a run since the last flush: its latest summary (same status) and latest progress. */
export type PendingUpdate = { summary: RunSummary | null; step: StepEvent | null };

/** A run's new summary over the one shown. A summary sent for an epoch may carry older progress than the
 * step events already shown (same status): the newer progress stays, with the elapsed time that came with it. */
export function mergeSummary(known: RunSummary, summary: RunSummary): RunSummary {
  const sameLeg = known.status === summary.status && (summary.status === 'running' || summary.status === 'paused');
  return sameLeg && summary.progress.step < known.progress.step ? { ...summary, progress: known.progress, elapsedSeconds: known.elapsedSeconds } : summary;
}

/** Newest first; runs started together keep their palette order — a compared group by its newest run's time, as
 *  its runs can be created a millisecond apart (the notebook's four read rmsprop, adam, gd, momentum). Sorts in place. */
export function sortRuns(runs: RunSummary[]): RunSummary[] {
  const groupTime = new Map<string, number>();
  for (const r of runs) if (r.groupId !== null) groupTime.set(r.groupId, Math.max(groupTime.get(r.groupId) ?? -Infinity, r.createdAt));
  const time = (r: RunSummary) => (r.groupId === null ? r.createdAt : groupTime.get(r.groupId)!);
  return runs.sort((a, b) => time(b) - time(a) || a.colorIndex - b.colorIndex);
}

/**
 * The runs as shown. Runs that share a name and trained on different data sets get the data set's name
 * ("Adam · fashion_test.csv"); runs that still share name and data set get their seed when those seeds all
 * differ, else a number by age (oldest #1, palette order among runs created together).
 */
export function withDistinctNames(runs: RunSummary[]): RunSummary[] {
  const byName: Record<string, RunSummary[]> = {};
  for (const r of runs) (byName[r.name] ??= []).push(r);
  return runs.map((r) => {
    const sameName = byName[r.name];
    if (sameName.length < 2) return r;
    const datasetsTellApart = new Set(sameName.map((o) => o.datasetName)).size > 1;
    const same = sameName.filter((o) => o.datasetName === r.datasetName);
    const name = datasetsTellApart ? `${r.name} · ${r.datasetName}` : r.name;
    if (same.length < 2) return { ...r, name };
    const seedsTellApart = new Set(same.map((o) => o.config.seed)).size === same.length;
    const ordinal = same.filter((o) => o.createdAt < r.createdAt || (o.createdAt === r.createdAt && o.colorIndex < r.colorIndex)).length + 1;
    return { ...r, name: seedsTellApart ? `${name} · seed ${r.config.seed}` : `${name} #${ordinal}` };
  });
}

/** A name as shown, in two: what withDistinctNames added to tell the run apart (' · seed 4', ' #2'), and the rest.
 *  Where the name is cut short (the chart's legend), the tail stays whole. */
export function nameParts(name: string): { head: string; tail: string } {
  const tail = / · seed \d+$| #\d+$/.exec(name)?.[0] ?? '';
  return { head: name.slice(0, name.length - tail.length), tail };
}

/** The runs with their pending updates applied: the newer summary, then the step progress unless older. A run's
 *  training time only grows: the step made of a full-batch epoch carries the time shown before it, while the
 *  summary sent for that epoch in the same flush has the time now (the row said 'elapsed 0 s' all through). */
export function applyPending(runs: RunSummary[], pending: ReadonlyMap<string, PendingUpdate>): RunSummary[] {
  return runs.map((r) => {
    const p = pending.get(r.id);
    if (!p) return r;
    const next = p.summary ? mergeSummary(r, p.summary) : r;
    const step = p.step;
    return step && step.progress.step >= next.progress.step ? { ...next, progress: step.progress, elapsedSeconds: Math.max(step.elapsedSeconds, next.elapsedSeconds) } : next;
  });
}

/** A message from the services about a run, with the run named as the list shows it: the services know it by its
 * own name ('Adam 0.001 · 128 relu'), which several runs may share; the list tells them apart ('… · seed 4'). */
export function namedAsShown(text: string, id: string, runs: readonly RunSummary[], shown: readonly RunSummary[]): string {
  const own = runs.find((r) => r.id === id)?.name;
  const asShown = shown.find((r) => r.id === id)?.name;
  return own && asShown && own !== asShown ? text.replaceAll(`'${own}'`, `'${asShown}'`) : text;
}

/** The run Evaluate or Draw shows of `runs` (the ones it can show, newest first): the one the user picked; else,
 *  when the newest run was started in a compared group, the group's finished run with the highest dev accuracy
 *  (of the notebook's four, a learner sees a good model first, not the one first in the list: gradient descent's
 *  at half the accuracy) — the group's first while none has finished; else the newest run. */
export function runToShow(runs: readonly RunSummary[], pickedId: string | null): RunSummary | null {
  const picked = runs.find((r) => r.id === pickedId);
  if (picked) return picked;
  const newest = runs[0] ?? null;
  if (!newest || newest.groupId === null) return newest;
  const accuracy = (r: RunSummary) => r.lastDevAccuracy ?? -1;
  let best: RunSummary | null = null;
  for (const r of runs) {
    if (r.groupId === newest.groupId && endsWithFinal(r.status) && r.lastDevAccuracy !== null && (!best || accuracy(r) > accuracy(best))) best = r;
  }
  return best ?? newest;
}
