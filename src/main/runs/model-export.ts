// What the Models view exports, as files on the host: a run's model (src/shared/model-file.ts) and its predictions
// for a data set (./predictions-csv.ts). A save dialog's path is checked before anything is computed or written,
// and the write is atomic (temp file, fsync, rename).
import { stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute } from 'node:path';
import type { ExportedFile } from '../../shared/api/runs';
import { modelFileName, modelJson, modelNpz, type ModelFormat, type ModelSource } from '../../shared/model-file';
import { writeFileAtomic } from './atomic-file';

/** The model file's name (from the run's) and bytes: the .json as UTF-8, or the .npz. */
export function modelFile(source: ModelSource, format: ModelFormat): ExportedFile {
  const data = format === 'json' ? new Uint8Array(Buffer.from(modelJson(source), 'utf8')) : modelNpz(source);
  return { name: modelFileName(source.name, format), data };
}

/** A path from a save dialog: absolute, with the extension, in a folder that exists (no folder is made: a path
 *  that names none is a mistake to report, not to act on). `what`: "the model", "the predictions". */
async function checkSavePath(path: string, extension: string, what: string): Promise<void> {
  const refuse = (why: string) => new Error(`cannot save ${what} to '${path}': ${why}`);
  if (!isAbsolute(path)) throw refuse('not an absolute path');
  if (extname(path).toLowerCase() !== `.${extension}`) throw refuse(`a .${extension} file's name ends in .${extension}`);
  const folder = await stat(dirname(path)).catch(() => null);
  if (!folder?.isDirectory()) throw refuse(`the folder ${dirname(path)} does not exist`);
}

/** Writes the bytes `make` gives at `path`, checked first (so a wrong path fails before they are computed);
 *  answers where, and how many bytes. */
export async function saveExport(path: string, extension: string, what: string, make: () => Promise<Uint8Array>): Promise<{ path: string; bytes: number }> {
  await checkSavePath(path, extension, what);
  const data = await make();
  await writeFileAtomic(path, data);
  return { path, bytes: data.length };
}
