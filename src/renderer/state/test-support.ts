// Tests' RunSummary (renderer state and views): a Standard run (5 epochs of batch 64) on fashion_test.csv, with any fields replaced.
import { newSummary, type RunSummary } from '../../shared/api/runs';
import { presetConfig } from '../../shared/training';

export function runSummary(over: Partial<RunSummary> = {}): RunSummary {
  const config = presetConfig('standard');
  const queued = newSummary({ id: 'r1', config, devRows: config.devRows, datasetId: 'd1', datasetName: 'fashion_test.csv', groupId: null, colorIndex: 0, createdAt: 1000, threads: 1 });
  return { ...queued, status: 'completed', elapsedSeconds: 5, ...over };
}
