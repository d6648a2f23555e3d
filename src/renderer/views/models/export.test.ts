// The Models view's exports in Electron, against stand-ins for the transport, the API and the run state (the real
// save dialog cannot run here): the native save dialog's path goes to the services, a cancelled dialog does
// nothing, and the outcome says where the file went and, for predictions of a labelled data set, the accuracy.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../../shared/api/runs';

const fake = vi.hoisted(() => ({
  dialogAnswer: null as string | null,
  dialogs: [] as unknown[][],
  calls: [] as { method: string; request: Record<string, unknown> }[],
  picked: null as string | null,
}));

vi.mock('../../lib/api', () => {
  const record = (method: string, answer: (request: Record<string, unknown>) => unknown) => async (request: Record<string, unknown>) => {
    fake.calls.push({ method, request });
    return answer(request);
  };
  return {
    transport: { kind: 'electron', files: { showSaveDialog: async (...args: unknown[]) => (fake.dialogs.push(args), fake.dialogAnswer) } },
    api: {
      runs: {
        saveModel: record('saveModel', (r) => ({ path: r.path, bytes: 543_925 })),
        savePredictions: record('savePredictions', (r) => ({ path: r.path, bytes: 975_000, correct: 8_563, rows: 10_000 })),
        importModel: record('importModel', () => ({ id: 'imported-1', name: 'adam (imported)' })),
      },
    },
  };
});
vi.mock('../../lib/files', () => ({ chooseFiles: async () => [{ kind: 'path', path: '/home/me/adam.json' }] }));
vi.mock('../../state/runs.svelte', () => ({
  runsState: {
    set pickedRunId(id: string | null) {
      fake.picked = id;
    },
  },
}));

const { exportModel, exportPredictions, importModels } = await import('./export');
const run = { id: 'run-1', name: 'adam 0.001 · 128 relu' } as RunSummary;

beforeEach(() => {
  fake.dialogs.length = 0;
  fake.calls.length = 0;
});

describe('exports in Electron', () => {
  it('asks the save dialog for the model file, then has the services write where it said', async () => {
    fake.dialogAnswer = '/home/me/adam.json';
    expect(await exportModel(run, 'json', ['a', 'b'])).toBe('Saved /home/me/adam.json (544 kB).');
    expect(fake.dialogs).toEqual([['Export adam 0.001 · 128 relu', 'adam 0.001 · 128 relu.json', [{ name: 'MLP Studio model', extensions: ['json'] }]]]);
    expect(fake.calls).toEqual([{ method: 'saveModel', request: { id: 'run-1', format: 'json', labels: ['a', 'b'], path: '/home/me/adam.json' } }]);
  });

  it('does nothing when the dialog is cancelled', async () => {
    fake.dialogAnswer = null;
    expect(await exportModel(run, 'onnx', null)).toBeNull();
    expect(await exportPredictions(run, { id: 'ds-1', name: 'fashion_test.csv' }, null)).toBeNull();
    expect(fake.calls).toEqual([]);
  });

  it('saves predictions and tells the accuracy on a labelled data set', async () => {
    fake.dialogAnswer = '/home/me/p.csv';
    expect(await exportPredictions(run, { id: 'ds-1', name: 'fashion_test.csv' }, null)).toBe('Saved /home/me/p.csv (975 kB). Accuracy on fashion_test.csv: 85.63% (8,563 of 10,000).');
    expect(fake.dialogs[0][1]).toBe('fashion_test predicted by adam 0.001 · 128 relu.csv');
    expect(fake.calls[0]).toEqual({ method: 'savePredictions', request: { id: 'run-1', datasetId: 'ds-1', path: '/home/me/p.csv' } });
  });

  it('imports a chosen model and makes it the run Evaluate and Draw show', async () => {
    expect(await importModels()).toBe('Imported adam (imported).');
    expect(fake.picked).toBe('imported-1');
  });
});
