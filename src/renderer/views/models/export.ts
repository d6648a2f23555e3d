// Exporting from the page — a run's model, or its predictions for a data set: in Electron the native save dialog,
// then the services write the file where it said; in browser mode the services send the bytes and the browser
// downloads them.
import type { DialogFilter } from '../../../shared/api/files';
import type { ExportedFile, PredictionsScore, RunSummary } from '../../../shared/api/runs';
import { modelFileName, type ModelFormat, predictionsFileName } from '../../../shared/model-file';
import { noAnswerText } from '../../../shared/prediction-summary';
import { api, transport } from '../../lib/api';
import { chooseFiles } from '../../lib/files';
import { formatAccuracy, formatBytes } from '../../lib/format';
import { formatCount } from '../train/format';
import { runsState } from '../../state/runs.svelte';

export const FORMAT_TITLES: Record<ModelFormat, { label: string; filter: string; about: string }> = {
  json: {
    label: '.json',
    filter: 'MLP Studio model',
    about: 'MLP Studio’s own format: the layers, the class names, how the pixels are scaled, the training settings and metrics, and the weights.',
  },
  npz: {
    label: '.npz',
    filter: 'NumPy arrays',
    about: 'For NumPy: np.load gives W1, b1, W2, b2, … as in the notebook — W [outputs, inputs], b [outputs, 1].',
  },
  onnx: {
    label: '.onnx',
    filter: 'ONNX model',
    about: 'For ONNX Runtime and other tools: input “pixels” [N, width·height] in grey levels 0–255, output “probabilities” [N, classes].',
  },
};

/** Exports the run's latest saved weights; resolves to what happened, in words, or null when the user cancelled. */
export function exportModel(run: RunSummary, format: ModelFormat, labels: readonly string[] | null): Promise<string | null> {
  const request = { id: run.id, format, ...(labels ? { labels: [...labels] } : {}) };
  return saveOrDownload({
    title: `Export ${run.name}`,
    name: modelFileName(run.name, format), // the name as this page shows it (told apart from its namesakes)
    filter: { name: FORMAT_TITLES[format].filter, extensions: [format] },
    save: (path) => api.runs.saveModel({ ...request, path }),
    fetch: () => api.runs.modelFile(request),
  });
}

/** Exports the run's predictions for every image of a loaded data set as CSV; resolves as exportModel does, and
 *  for a labelled data set says how many images the run got right. */
export async function exportPredictions(run: RunSummary, dataset: { id: string; name: string }, labels: readonly string[] | null): Promise<string | null> {
  const request = { id: run.id, datasetId: dataset.id, ...(labels ? { labels: [...labels] } : {}) };
  let score: PredictionsScore | null = null;
  const text = await saveOrDownload({
    title: `Predictions of ${run.name}`,
    name: predictionsFileName(dataset.name, run.name),
    filter: { name: 'CSV', extensions: ['csv'] },
    save: async (path) => (score = await api.runs.savePredictions({ ...request, path })),
    fetch: async () => (score = await api.runs.predictionsFile(request)),
  });
  return text && score ? `${text}${scoreText(score, dataset.name)}` : text;
}

/** " Accuracy on fashion_test.csv: 86.46% (8,646 of 10,000)." for a labelled data set, else nothing; and how many
 *  images got no answer, if any. */
export function scoreText({ correct, rows, noAnswer }: PredictionsScore, datasetName: string): string {
  const accuracy = correct === null || rows === 0 ? '' : ` Accuracy on ${datasetName}: ${formatAccuracy(correct / rows)} (${formatCount(correct)} of ${formatCount(rows)}).`;
  const unanswered = noAnswer > 0 ? ` ${capitalized(noAnswerText(noAnswer, rows, correct !== null))}.` : '';
  return accuracy + unanswered;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Electron: the save dialog, then the services write there. Browser mode: the services send the bytes, and the
 *  browser downloads them under `name`. */
async function saveOrDownload(file: {
  title: string;
  name: string;
  filter: DialogFilter;
  save: (path: string) => Promise<{ path: string; bytes: number }>;
  fetch: () => Promise<ExportedFile>;
}): Promise<string | null> {
  if (transport.kind === 'electron') {
    const path = await transport.files.showSaveDialog(file.title, file.name, [file.filter]);
    if (!path) return null;
    const saved = await file.save(path);
    return `Saved ${saved.path} (${formatBytes(saved.bytes)}).`;
  }
  const { data } = await file.fetch();
  download(file.name, data);
  return `Downloaded ${file.name} (${formatBytes(data.length)}).`;
}

function download(name: string, data: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([data as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // after the download has started
}

/** Asks for a model file (MLP Studio's .json) and imports it as a run; resolves to what happened, in words, or
 *  null when the user chose nothing. Each file chosen is imported in turn; the last becomes the run Evaluate and
 *  Draw show (what one imports a model for: to measure it, to draw for it). */
export async function importModels(): Promise<string | null> {
  const refs = await chooseFiles('Import a model', [{ name: 'MLP Studio model', extensions: ['json'] }]);
  if (refs.length === 0) return null;
  const names: string[] = [];
  for (const ref of refs) {
    const run = await api.runs.importModel(ref);
    names.push(run.name);
    runsState.pickedRunId = run.id;
  }
  return `Imported ${names.join(', ')}.`;
}
