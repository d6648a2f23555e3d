// Tests' RunSummary (renderer state and views): a Standard run (5 epochs of batch 64) on fashion_test.csv, with any fields replaced.
import type { RunSummary } from '../../shared/api/runs';
import { presetConfig } from '../../shared/training';

export function runSummary(over: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'r1',
    name: 'adam 0.001 · 128 relu',
    status: 'completed',
    config: presetConfig('standard'),
    datasetId: 'd1',
    datasetName: 'fashion_test.csv',
    groupId: null,
    colorIndex: 0,
    createdAt: 1000,
    elapsedSeconds: 5,
    progress: { step: 0, totalSteps: 0, epoch: 0, samplesPerSecond: 0, etaSeconds: null, loss: null },
    epochsDone: 0,
    bestDevAccuracy: null,
    lastDevAccuracy: null,
    lastTestAccuracy: null,
    confusion: [],
    error: null,
    checkpointEpoch: 0,
    queuePosition: null,
    threads: 1,
    ...over,
  };
}
