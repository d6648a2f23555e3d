// A run's answers besides training, against real worker threads: the dev examples behind each cell of its
// confusion matrix (reported by its task, or predicted again from its saved weights after a restart), one
// image's probabilities, and its first layer.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelJson, type ModelSource, parseModelJson } from '../../shared/model-file';
import { CONTROL, type EpochMessage, type TrainerState } from '../../shared/training';
import type { RunManager } from './manager';
import { config, data, runData, sleep, slowData, until, useRunManagers } from './manager-harness';
import type { TrainingPool } from './pool';
import { arrangedDevRows } from './predict-dev';
import { createPredictor } from './predictor';
import { RunStore } from './store';

const { setup, tempFolder } = useRunManagers();

describe('RunManager answers', () => {
  it('keeps the dev examples behind the latest confusion matrix: each cell lists its data-set rows, also after a restart', async () => {
    // dev example i is data-set row devIndices[i] (a random split's order), arranged dev-first
    const devIndices = Uint32Array.from({ length: 60 }, (_, i) => 599 - 7 * i);
    const withIndices = { ...runData, devIndices };
    const first = setup(1, undefined, undefined, withIndices);
    const { id } = first.manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 2 } }) });
    await expect(first.manager.cellExamples(id, 0, 0)).rejects.toThrow('come with its next epoch');
    const ended = await first.manager.whenEnded(id);
    const K = ended.confusion.length;
    /** Every cell's examples: as many as the matrix counts, all dev rows, most confident first. */
    async function checkCells(manager: RunManager): Promise<void> {
      let listed = 0;
      for (let t = 0; t < K; t++) {
        for (let p = 0; p < K; p++) {
          const cell = await manager.cellExamples(id, t, p, 1000);
          expect(cell.total).toBe(ended.confusion[t][p]);
          expect(cell.epoch).toBe(2);
          for (const row of cell.rows) expect(devIndices).toContain(row);
          for (let k = 1; k < cell.confidence.length; k++) expect(cell.confidence[k]).toBeLessThanOrEqual(cell.confidence[k - 1]);
          for (const c of cell.confidence) expect(c).toBeGreaterThanOrEqual(1 / K);
          listed += cell.rows.length;
        }
      }
      expect(listed).toBe(60);
    }
    await checkCells(first.manager);
    // One image through the run's final weights gets the class its dev evaluation gave it.
    const size = data.width * data.height;
    for (let i = 0; i < 5; i++) {
      const { probabilities, epoch } = await first.manager.predict(id, data.pixels.slice(i * size, (i + 1) * size));
      expect(epoch).toBe(2);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const best = probabilities.indexOf(Math.max(...probabilities));
      const cell = await first.manager.cellExamples(id, data.labels![i], best, 1000);
      expect(cell.rows).toContain(devIndices[i]);
    }
    await expect(first.manager.predict(id, new Uint8Array(5))).rejects.toThrow(`images of ${size} pixels, got 5`);
    // The first layer as images: W1 of the final weights, [36 pixels, 8 units].
    const layer = await first.manager.firstLayer(id);
    expect(layer).toMatchObject({ width: 6, height: 6, units: 8, epoch: 2 });
    expect(layer.weights).toEqual((await first.manager.weights(id))!.params.slice(0, 36 * 8));
    expect(layer.initial).not.toEqual(layer.weights);
    expect(layer.initial).toHaveLength(36 * 8);
    // What its model file is made of: the final weights, the class names given, how far it trained.
    const labels = Array.from({ length: K }, (_, k) => `class ${k}`);
    const model = await first.manager.modelSource(id, labels);
    expect(model).toMatchObject({ layerSizes: [36, 8, K], image: { width: 6, height: 6 }, labels, trained: { epochs: 2, steps: ended.progress.step } });
    expect(model.params).toEqual((await first.manager.weights(id))!.params);
    await expect(first.manager.modelSource(id, ['a'])).rejects.toThrow(`tells ${K} classes apart; 1 class name was given`);
    expect((await first.manager.modelSource(id)).labels).toEqual(Array.from({ length: K }, (_, k) => String(k)));
    // Its predictions for a whole data set (the WASM forward pass in passes): what Draw's one-image answer gives.
    const predicted = await first.manager.predictions(id, data, labels);
    expect(predicted.labels).toEqual(labels);
    expect(predicted.probs).toHaveLength(data.rows * K);
    for (const i of [0, 1, data.rows - 1]) {
      const { probabilities } = await first.manager.predict(id, data.pixels.slice(i * size, (i + 1) * size));
      probabilities.forEach((p, k) => expect(predicted.probs[i * K + k]).toBeCloseTo(p, 5));
    }
    await expect(first.manager.predictions(id, { ...data, width: 5 })).rejects.toThrow(`reads images of 36 pixels; these are 5×6`);
    // Its .json read back is a run of its own: completed, answering as the run does, listed again after a restart.
    const imported = await first.manager.importModel(parseModelJson(modelJson(model)), 'model.json');
    expect(imported).toMatchObject({ status: 'completed', name: `${ended.name} (imported)`, lastDevAccuracy: ended.lastDevAccuracy, progress: { step: ended.progress.step } });
    expect(imported.notice).toBe('Imported from model.json: its weights, without the data or the history it was trained with.');
    const image = data.pixels.slice(0, size);
    expect((await first.manager.predict(imported.id, image)).probabilities).toEqual((await first.manager.predict(id, image)).probabilities);
    expect(imported.imported).toEqual({ fileName: 'model.json', width: 6, height: 6, labels });
    // Exported again without names given: its file's names, and its params.
    expect(await first.manager.modelSource(imported.id)).toMatchObject({ labels, params: model.params, image: { width: 6, height: 6 } });
    // Measured on every row of a labelled data set: the matrix counts what its predictions say, and each cell lists
    // its rows; a run trained here, an unlabelled set, images of another size or more classes are refused.
    const measuredData = { id: 'ds-measure', name: 'measure.csv', fingerprint: 'f'.repeat(64), data };
    await expect(first.manager.evaluateImported(id, measuredData)).rejects.toThrow(`run '${ended.name}' was trained here`);
    await expect(first.manager.evaluateImported(imported.id, { ...measuredData, data: { ...data, labels: null } })).rejects.toThrow('measure.csv has no labels');
    await expect(first.manager.evaluateImported(imported.id, { ...measuredData, data: { ...data, width: 5 } })).rejects.toThrow(`'${imported.name}' reads 6×6 images; measure.csv's are 5×6`);
    // As many pixels in another shape: not what it learnt (measured, or predicted in the Models view).
    await expect(first.manager.evaluateImported(imported.id, { ...measuredData, data: { ...data, width: 4, height: 9 } })).rejects.toThrow(`'${imported.name}' reads 6×6 images; measure.csv's are 4×9`);
    await expect(first.manager.predictions(imported.id, { ...data, width: 4, height: 9 })).rejects.toThrow(`'${imported.name}' reads 6×6 images; these are 4×9`);
    await expect(first.manager.evaluateImported(imported.id, { ...measuredData, data: { ...data, classes: K + 1 } })).rejects.toThrow(`measure.csv has ${K + 1} classes; '${imported.name}' tells ${K} apart`);
    const measured = await first.manager.evaluateImported(imported.id, measuredData);
    expect(measured.imported?.evaluatedOn).toEqual({ fingerprint: 'f'.repeat(64), name: 'measure.csv', rows: data.rows });
    const expectedMatrix = Array.from({ length: K }, () => new Array<number>(K).fill(0));
    const expectedRows = new Map<string, number[]>();
    for (let i = 0; i < data.rows; i++) {
      const probs = Array.from(predicted.probs.subarray(i * K, (i + 1) * K));
      const cell = `${data.labels![i]},${probs.indexOf(Math.max(...probs))}`;
      expectedMatrix[data.labels![i]][probs.indexOf(Math.max(...probs))]++;
      expectedRows.set(cell, [...(expectedRows.get(cell) ?? []), i]);
    }
    expect(measured.confusion).toEqual(expectedMatrix);
    for (const [cell, rows] of expectedRows) {
      const [t, p] = cell.split(',').map(Number);
      const examples = await first.manager.cellExamples(imported.id, t, p, data.rows);
      expect(examples).toMatchObject({ datasetId: 'ds-measure', total: rows.length });
      expect([...examples.rows].sort((a, b) => a - b)).toEqual(rows);
    }
    // After a restart the task's predictions are gone: they are computed again from the saved final weights.
    await first.manager.shutdown();
    // The rows as the runs service finds them (service.ts devRowsFrom): the imported run's, every row it was measured on.
    const everyRow = { datasetName: 'measure.csv', datasetId: 'ds-measure', data, order: null, rows: Uint32Array.from({ length: data.rows }, (_, i) => i) };
    const restarted = setup(1, first.folder, undefined, withIndices, undefined, {
      dataToContinue: () => withIndices,
      devRowsFor: (run) => (run.imported ? everyRow : arrangedDevRows(withIndices)!),
    });
    await restarted.manager.init();
    await checkCells(restarted.manager);
    expect(restarted.manager.list().find((r) => r.id === imported.id)).toMatchObject({ status: 'completed', confusion: expectedMatrix, imported: { evaluatedOn: measured.imported?.evaluatedOn } });
    for (const [cell, rows] of expectedRows) {
      const [t, p] = cell.split(',').map(Number);
      expect((await restarted.manager.cellExamples(imported.id, t, p, data.rows)).total).toBe(rows.length);
    }
    expect((await restarted.manager.predict(imported.id, image)).probabilities).toEqual((await first.manager.predict(id, image)).probabilities);
  });

  it('an imported model measured twice at once keeps the later request\'s matrix (the earlier one\'s if the later fails); removed while measured, it stays removed', async () => {
    const { manager, folder, events } = setup(1);
    const K = 3;
    const model: ModelSource = {
      name: 'bands model',
      config: config({ hidden: [{ units: 8, activation: 'relu' }] }),
      layerSizes: [36, 8, K],
      params: Float32Array.from({ length: 36 * 8 + 8 + 8 * K + K }, (_, i) => Math.sin(i)),
      image: { width: 6, height: 6 },
      labels: ['a', 'b', 'c'],
      trained: { epochs: 1, steps: 10, dataset: 'bands.csv' },
      metrics: { devAccuracy: null, bestDevAccuracy: null, testAccuracy: null },
    };
    const run = await manager.importModel(model, 'bands.json');
    const all = { id: 'ds-all', name: 'all.csv', fingerprint: 'a'.repeat(64), data };
    const few = { id: 'ds-few', name: 'few.csv', fingerprint: 'f'.repeat(64), data: { ...data, rows: 30 } };
    const [first, second] = await Promise.all([manager.evaluateImported(run.id, all), manager.evaluateImported(run.id, few)]);
    expect(second.imported?.evaluatedOn).toEqual({ fingerprint: 'f'.repeat(64), name: 'few.csv', rows: 30 });
    expect(first.imported?.evaluatedOn?.name).toMatch(/^(all|few)\.csv$/); // as it ended: the earlier request's kept until the later's came, or the later's
    expect(manager.list().find((r) => r.id === run.id)?.imported?.evaluatedOn?.name).toBe('few.csv'); // the later request's stands
    expect(second.confusion.flat().reduce((a, b) => a + b, 0)).toBe(30);
    expect((await manager.cellExamples(run.id, 0, 0, 1000)).datasetId).toBe('ds-few');
    // A later request refused (no labels) leaves the earlier one's result standing, whichever ends first.
    const unlabelled = { ...few, id: 'ds-unlabelled', name: 'unlabelled.csv', data: { ...data, labels: null } };
    const [kept, refused] = await Promise.all([manager.evaluateImported(run.id, all), manager.evaluateImported(run.id, unlabelled).catch((error: Error) => error)]);
    expect(String(refused)).toContain('unlabelled.csv has no labels');
    expect(kept.imported?.evaluatedOn?.name).toBe('all.csv');
    expect(manager.list().find((r) => r.id === run.id)?.imported?.evaluatedOn?.name).toBe('all.csv');
    expect((await manager.cellExamples(run.id, 0, 0, 1000)).datasetId).toBe('ds-all');

    // A model whose outputs overflow float32 (NaN probabilities) is not measured: no matrix counts those as a class.
    const overflowing = await manager.importModel({ ...model, params: new Float32Array(model.params.length).fill(3e38) }, 'overflowing.json');
    const bright = { ...all, data: { ...data, pixels: new Uint8Array(data.pixels.length).fill(255) } };
    await expect(manager.evaluateImported(overflowing.id, bright)).rejects.toThrow(`'bands model (imported)' gives no answer for ${data.rows} of ${data.rows} images of all.csv: its outputs are not numbers`);

    // Its first layer as images of the file's size, 9×4 (not square).
    const tall = await manager.importModel({ ...model, image: { width: 4, height: 9 } }, 'tall.json');
    expect(await manager.firstLayer(tall.id)).toMatchObject({ width: 4, height: 9, units: 8 });

    const eventsBefore = events.length;
    const measuring = manager.evaluateImported(run.id, all).catch((error: Error) => error);
    await manager.remove(run.id);
    expect(await measuring).toEqual(new Error("run 'bands model (imported)' was removed while it was being measured"));
    expect(existsSync(join(folder, run.id))).toBe(false);
    expect(events.slice(eventsBefore).filter((e) => e.type === 'changed' && e.id === run.id && e.summary?.imported?.evaluatedOn)).toHaveLength(0);
  });

  it('strokes that come while Draw\'s predictor is built share one build (its weights read once)', async () => {
    const folder = tempFolder();
    class CountingStore extends RunStore {
      loads = 0;
      override loadState(...args: Parameters<RunStore['loadState']>): ReturnType<RunStore['loadState']> {
        this.loads++;
        return super.loadState(...args);
      }
    }
    const store = new CountingStore(folder);
    const { manager } = setup(1, folder, undefined, undefined, undefined, { store });
    const K = 3;
    const params = Float32Array.from({ length: 36 * 8 + 8 + 8 * K + K }, (_, i) => Math.sin(i));
    const model: ModelSource = {
      name: 'bands model',
      config: config({ hidden: [{ units: 8, activation: 'relu' }] }),
      layerSizes: [36, 8, K],
      params,
      image: { width: 6, height: 6 },
      labels: ['a', 'b', 'c'],
      trained: { epochs: 1, steps: 10, dataset: 'bands.csv' },
      metrics: { devAccuracy: null, bestDevAccuracy: null, testAccuracy: null },
    };
    const run = await manager.importModel(model, 'bands.json');
    const images = [0, 1, 2].map((r) => data.pixels.slice(r * 36, (r + 1) * 36));
    const answers = await Promise.all(images.map((image) => manager.predict(run.id, image)));
    expect(store.loads).toBe(1);
    const expected = createPredictor(model.config, model);
    answers.forEach((answer, r) => expect(answer.probabilities).toEqual(expected(images[r])));
    await manager.predict(run.id, images[0]);
    expect(store.loads).toBe(1); // kept while its weights stay the same
  });

  it('a run stopped again before its next epoch answers from its new final weights, not the first stop\'s', async () => {
    const long = config({ hidden: [{ units: 64, activation: 'relu' }], duration: { unit: 'epochs', count: 8 } });
    let phase: 'first' | 'continued' | 'done' = 'first';
    // Stopped at its first epoch, then — after continuing — at its first step past the first stop.
    const folder = tempFolder();
    const withDev = { ...slowData, devIndices: Uint32Array.from({ length: 60 }, (_, i) => i) };
    const { manager } = setup(1, folder, undefined, withDev, (id) => phase === 'first' && manager.stop(id), {
      onTaskMessage: (id, message) => {
        if (phase === 'continued' && message.type === 'step' && manager.list()[0].status === 'running') {
          phase = 'done';
          manager.stop(id);
        }
      },
    });
    const { id } = manager.start({ datasetId: 'x', config: long });
    expect(await manager.whenEnded(id)).toMatchObject({ status: 'stopped', checkpointEpoch: 1 });
    const size = slowData.data.width * slowData.data.height;
    const image = slowData.data.pixels.slice(0, size);
    const atFirstStop = await manager.predict(id, image);
    const firstWeights = (await manager.weights(id))!;
    phase = 'continued';
    await manager.continue(id);
    // Still at the first epoch's checkpoint: only the final weights moved on.
    expect(await manager.whenEnded(id)).toMatchObject({ status: 'stopped', checkpointEpoch: 1 });
    const secondWeights = (await manager.weights(id))!;
    expect(secondWeights.steps).toBeGreaterThan(firstWeights.steps);
    const now = await manager.predict(id, image);
    expect(now.probabilities).toEqual(createPredictor(long, secondWeights)(image));
    expect(now.probabilities).not.toEqual(atFirstStop.probabilities);
    // Those weights are from inside epoch 2: every answer says how far, as the run's progress does.
    const reached = manager.list()[0].progress.epoch;
    expect(reached).toBeGreaterThan(1);
    expect(reached).toBeLessThan(2);
    expect(now.epoch).toBe(reached);
    expect((await manager.firstLayer(id)).epoch).toBe(reached);
    expect((await manager.cellExamples(id, 0, 0)).epoch).toBe(reached);
    // … also after a restart, when the dev examples are predicted again from the saved weights.
    await manager.shutdown();
    const restarted = setup(1, folder, undefined, withDev, undefined, { dataToContinue: () => withDev });
    await restarted.manager.init();
    expect((await restarted.manager.cellExamples(id, 0, 0)).epoch).toBe(reached);
    expect((await restarted.manager.predict(id, image)).epoch).toBe(reached);
  });

  it('a run on two threads reports its dev examples too (every cell as the matrix counts)', async () => {
    const devIndices = Uint32Array.from({ length: 60 }, (_, i) => i);
    const { manager } = setup(2, undefined, undefined, { ...runData, devIndices });
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 1 } }), threads: 2 });
    const ended = await manager.whenEnded(id);
    expect(ended.threads).toBe(2);
    let listed = 0;
    for (let t = 0; t < ended.confusion.length; t++) {
      for (let p = 0; p < ended.confusion.length; p++) {
        const cell = await manager.cellExamples(id, t, p, 1000);
        expect(cell.total).toBe(ended.confusion[t][p]);
        listed += cell.total;
      }
    }
    expect(listed).toBe(60);
  });

  it('answers Draw while the run trains, though its epochs come faster than its writer saves them', async () => {
    // A slow disk (every file written takes 40 ms) and epochs of a few ms: the writer always has a newer
    // checkpoint to save, so it is never idle while the run trains. Draw answers from the checkpoint on disk.
    const folder = tempFolder();
    const slowDisk = new RunStore(folder, { beforeRename: () => new Promise((resolve) => setTimeout(resolve, 40)) });
    const { manager } = setup(1, folder, undefined, runData, undefined, { store: slowDisk });
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    const summary = () => manager.list().find((r) => r.id === id)!;
    await until(() => summary().checkpointEpoch >= 3 && existsSync(join(folder, id, 'checkpoint.bin')), 'a checkpoint on disk');
    const stop = setTimeout(() => manager.stop(id), 3000); // else it waits for the run's end
    const size = data.width * data.height;
    const { epoch } = await manager.predict(id, data.pixels.slice(0, size));
    const layer = await manager.firstLayer(id);
    const statusThen = summary().status;
    clearTimeout(stop);
    if (statusThen === 'running') manager.stop(id);
    await manager.whenEnded(id);
    expect(statusThen).toBe('running');
    expect(epoch).toBeGreaterThanOrEqual(1);
    expect(layer.units).toBe(8);
  });
});

/** A state of config()'s network (36-8-3) after `epoch` whole epochs of 10 steps, its weights all `value`. */
function stateAt(epoch: number, value: number): TrainerState {
  return { version: 1, layerSizes: [36, 8, 3], params: new Float32Array(36 * 8 + 8 + 8 * 3 + 3).map((_, i) => value * Math.sin(i + epoch)), m: null, v: null, steps: 10 * epoch, epoch, stepInEpoch: 0, shuffleRng: [1, 2, 3, 4], epochLossSum: 0, epochRows: 0 };
}

function epochMessage(state: TrainerState): EpochMessage {
  return { type: 'epoch', epoch: state.epoch, complete: true, atEpoch: state.epoch, step: state.steps, trainLoss: 1, devLoss: 1, devAccuracy: 0.5, testAccuracy: null, confusion: [[1]], devPredictions: null, seconds: 1, samplesPerSecond: 1, state };
}

describe('RunManager answers while its checkpoint is being written', () => {
  it('Draw and the first layer answer with the checkpoint the summary names, not the one still on disk', async () => {
    // A pool that ends epoch 1, then — when told — epoch 2, and a disk whose write of epoch 2's checkpoint waits
    // to be let through: the summary names epoch 2 while checkpoint.bin still holds epoch 1.
    const [first, second] = [stateAt(1, 0.5), stateAt(2, -0.7)];
    let endSecondEpoch = () => {};
    const pool: TrainingPool = {
      threads: 1,
      async run(input, onMessage) {
        onMessage(epochMessage(first));
        await new Promise<void>((resolve) => (endSecondEpoch = resolve));
        onMessage(epochMessage(second));
        while (Atomics.load(input.control!, 0) !== CONTROL.stop) await sleep(5);
        return { outcome: 'stopped', error: null, epoch: 2, steps: 20, dev: null, test: null, seconds: 1, state: second };
      },
      destroy: async () => {},
    };
    let held: Promise<void> | null = null;
    let letThrough = () => {};
    const folder = tempFolder();
    const disk = new RunStore(folder, { beforeRename: (temp) => (temp.includes('checkpoint.bin') && held ? held : undefined) });
    const { manager } = setup(1, folder, pool, runData, undefined, { store: disk });
    const { id } = manager.start({ datasetId: 'x', config: config() });
    const store = new RunStore(folder);
    await until(() => manager.list()[0].checkpointEpoch === 1, 'epoch 1');
    for (let tries = 0; (await store.loadStateHeader(id, 'checkpoint'))?.epoch !== 1; tries++) {
      if (tries > 500) throw new Error('epoch 1 checkpoint never written');
      await sleep(10);
    }
    const image = data.pixels.slice(0, 36);
    expect((await manager.predict(id, image)).epoch).toBe(1); // its predictor built from epoch 1
    held = new Promise((resolve) => (letThrough = resolve));
    endSecondEpoch();
    await until(() => manager.list()[0].checkpointEpoch === 2, 'epoch 2');
    expect((await store.loadStateHeader(id, 'checkpoint'))?.epoch).toBe(1); // epoch 2's checkpoint is held back
    const answers = Promise.all([manager.predict(id, image), manager.firstLayer(id), manager.weights(id)]);
    setTimeout(letThrough, 100);
    const [drawn, layer, weights] = await answers;
    expect(drawn).toEqual({ epoch: 2, probabilities: createPredictor(config(), second)(image) });
    expect(layer.epoch).toBe(2);
    expect(layer.weights).toEqual(second.params.slice(0, 36 * 8));
    expect(weights!.epoch).toBe(2);
    // … and asked again, from the predictor it keeps: epoch 2's.
    expect(await manager.predict(id, image)).toEqual(drawn);
    manager.stop(id);
    await manager.whenEnded(id);
  });
});
