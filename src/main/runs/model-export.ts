// A run's model as a file on the host: the bytes of each format (src/shared/model-file.ts), a save dialog's path
// checked before anything is written, and the write itself, atomic (temp file, fsync, rename).
import { stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute } from 'node:path';
import type { ModelFile } from '../../shared/api/runs';
import { modelFileName, modelJson, modelNpz, type ModelFormat, type ModelSource } from '../../shared/model-file';
import { writeFileAtomic } from './atomic-file';

/** The file's name (from the run's) and bytes: the .json as UTF-8, or the .npz. */
export function modelFile(source: ModelSource, format: ModelFormat): ModelFile {
  const data = format === 'json' ? new Uint8Array(Buffer.from(modelJson(source), 'utf8')) : modelNpz(source);
  return { name: modelFileName(source.name, format), data };
}

/** A path from a save dialog: absolute, with the format's extension, in a folder that exists (no folder is made:
 *  a path that names none is a mistake to report, not to act on). */
async function checkModelPath(path: string, format: ModelFormat): Promise<void> {
  const refuse = (why: string) => new Error(`cannot save the model to '${path}': ${why}`);
  if (!isAbsolute(path)) throw refuse('not an absolute path');
  if (extname(path).toLowerCase() !== `.${format}`) throw refuse(`a .${format} file's name ends in .${format}`);
  const folder = await stat(dirname(path)).catch(() => null);
  if (!folder?.isDirectory()) throw refuse(`the folder ${dirname(path)} does not exist`);
}

/** Writes the model file at `path`, checked first (checkModelPath) so that a wrong path fails before the weights
 *  are read; answers where, and how many bytes. */
export async function saveModelFile(path: string, format: ModelFormat, source: () => Promise<ModelSource>): Promise<{ path: string; bytes: number }> {
  await checkModelPath(path, format);
  const { data } = modelFile(await source(), format);
  await writeFileAtomic(path, data);
  return { path, bytes: data.length };
}
