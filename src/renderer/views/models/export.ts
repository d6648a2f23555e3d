// Exporting a run's model from the page: in Electron the native save dialog, then the services write the file
// where it said; in browser mode the services send the file's bytes and the browser downloads them.
import type { RunSummary } from '../../../shared/api/runs';
import { modelFileName, type ModelFormat } from '../../../shared/model-file';
import { api, transport } from '../../lib/api';
import { formatBytes } from '../../lib/format';

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
};

/** Exports the run's latest saved weights; resolves to what happened, in words, or null when the user cancelled. */
export async function exportModel(run: RunSummary, format: ModelFormat, labels: readonly string[] | null): Promise<string | null> {
  const request = { id: run.id, format, ...(labels ? { labels: [...labels] } : {}) };
  if (transport.kind === 'electron') {
    const filters = [{ name: FORMAT_TITLES[format].filter, extensions: [format] }];
    const path = await transport.files.showSaveDialog(`Export ${run.name}`, modelFileName(run.name, format), filters);
    if (!path) return null;
    const saved = await api.runs.saveModel({ ...request, path });
    return `Saved ${saved.path} (${formatBytes(saved.bytes)}).`;
  }
  const file = await api.runs.modelFile(request);
  const name = modelFileName(run.name, format); // the name as this page shows it (told apart from its namesakes)
  download(name, file.data);
  return `Downloaded ${name} (${formatBytes(file.data.length)}).`;
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
