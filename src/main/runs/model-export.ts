// The Models view's files on the host: a run's model (src/shared/model-file.ts) and its predictions for a data set
// (./predictions-csv.ts) written out — a save dialog's path checked before anything is computed or written, the
// write atomic (temp file, fsync, rename) — and a model file read back in.
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute } from 'node:path';
import type { ExportedFile } from '../../shared/api/runs';
import { fileErrorText } from '../../shared/file-error';
import { checkedModel, MODEL_FILE_MAX_BYTES, modelFileName, modelJsonBytes, modelNpz, type ModelFormat, type ModelSource, parseJson, parseModelJson } from '../../shared/model-file';
import { base64AsciiToBytes } from '../../shared/api/wire';
import { modelOnnx } from '../../shared/onnx';
import { writeFileAtomic } from './atomic-file';
import { makeOffThread, offThreadFile, type OffThread, readOffThread } from './model-file-thread';

/** The model file's name (from the run's) and bytes: the .json as UTF-8, the .npz, or the .onnx. */
export function modelFile(source: ModelSource, format: ModelFormat): ExportedFile {
  const data = format === 'json' ? modelJsonBytes(source) : format === 'npz' ? modelNpz(source) : modelOnnx(source);
  return { name: modelFileName(source.name, format), data };
}

/** modelFile, made on a worker thread when the weights are big (./model-file-thread.ts). `moveWeights`: the
 *  caller owns the source's weights and lets them go (moved to that thread, detached here; else they are copied). */
export async function makeModelFile(source: ModelSource, format: ModelFormat, { moveWeights = false, ...offThread }: OffThread & { moveWeights?: boolean } = {}): Promise<ExportedFile> {
  const workerFile = offThreadFile(source.params.byteLength, offThread);
  return workerFile ? makeOffThread(workerFile, source, format, moveWeights) : modelFile(source, format);
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

/** Writes the bytes `make` gives at `path`, checked first (so a wrong path fails before they are computed); a
 *  name typed without an extension gets the format's (a save dialog on Linux does not add it). Answers where, and
 *  how many bytes. */
export async function saveExport(path: string, extension: string, what: string, make: () => Promise<Uint8Array>): Promise<{ path: string; bytes: number }> {
  const target = extname(path) === '' ? `${path}.${extension}` : path;
  await checkSavePath(target, extension, what);
  const data = await make();
  await writeFileAtomic(target, data);
  return { path: target, bytes: data.length };
}

/** A model file read and checked (parseModelJson); errors name the file (`name`, as the user knows it). A big file
 *  is read on a worker thread (./model-file-thread.ts). */
export async function readModelFile(path: string, name: string, offThread?: OffThread): Promise<ModelSource> {
  const info = await stat(path).catch((error: unknown) => {
    throw new Error(fileErrorText(error, name, 'model file', 'read') ?? String(error));
  });
  if (!info.isFile()) throw new Error(`cannot read model file ${name}: ${info.isDirectory() ? 'it is a folder, not a file' : 'it is a pipe or a device, not a file (save it to one first)'}`);
  if (info.size > MODEL_FILE_MAX_BYTES) throw new Error(`cannot read model file ${name}: ${info.size} bytes is more than a model file holds (at most ${MODEL_FILE_MAX_BYTES})`);
  if (name.toLowerCase().endsWith('.npz')) throw new Error(`${name} is NumPy's .npz: it holds the weights but not the layers' activations nor the class names; import the .json`);
  if (name.toLowerCase().endsWith('.onnx')) throw new Error(`${name} is an ONNX model: MLP Studio writes .onnx for other tools (ONNX Runtime, Netron) and reads back its own .json`);
  const workerFile = offThreadFile(info.size, offThread);
  return workerFile ? readOffThread(workerFile, path, name) : readModelFileHere(path, name);
}

/** The reading and checking itself, on the calling thread (readModelFile's, or its worker's). */
export async function readModelFileHere(path: string, name: string): Promise<ModelSource> {
  const bytes = await readFile(path);
  try {
    return parseModelJsonBytes(bytes);
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BASE64_KEY = Buffer.from('"base64":');

/** parseModelJson of a file's bytes (a byte order mark before it allowed). The weights' base64 is decoded from the
 *  bytes where it lies, and the rest parsed without it: the largest networks' weights are more characters than a
 *  JavaScript string holds (626 MB for 784 → 8 × 4,096 → 10), and a file that could not be read back was written. */
export function parseModelJsonBytes(file: Buffer): ModelSource {
  const bytes = file.subarray(0, 3).equals(BOM) ? file.subarray(3) : file;
  checkJsonStart(bytes);
  const key = bytes.lastIndexOf(BASE64_KEY);
  let start = key + BASE64_KEY.length;
  while (key >= 0 && (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09)) start++;
  const end = key >= 0 && bytes[start] === 0x22 ? bytes.indexOf(0x22, start + 1) : -1;
  // Escapes in the string (a writer that puts \/ for /) are JSON.parse's to undo: the whole text, as a string.
  if (end < 0 || bytes.subarray(start + 1, end).includes(0x5c)) return parseModelJson(wholeText(bytes));
  // The file with its weights' string emptied: where that string was the weights', it reads "" there.
  const raw = parseJson(bytes.toString('utf8', 0, start + 1) + bytes.toString('utf8', end));
  const weights = (raw as { weights?: { base64?: unknown } } | null)?.weights;
  if (weights?.base64 !== '') return parseModelJson(wholeText(bytes));
  return checkedModel(raw, () => base64AsciiToBytes(bytes.subarray(start + 1, end)));
}

/** Throws unless the first byte that is not a space is "{" (or the file is blank: JSON.parse says so), naming
 *  what it begins with instead: JSON.parse's own message would quote a binary file's bytes, line breaks too. */
function checkJsonStart(bytes: Buffer): void {
  let at = 0;
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x09)) at++;
  if (at === bytes.length || bytes[at] === 0x7b) return;
  const binary = bytes.subarray(at, at + 64).findIndex((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  const found = binary >= 0 ? `binary data (byte 0x${bytes[at + binary].toString(16).padStart(2, '0')})` : JSON.stringify(bytes.toString('utf8', at, at + 24).split(/[\r\n]/)[0]);
  throw new Error(`not JSON: a model file begins with "{", this one with ${found}`);
}

/** The file as one string, or why it cannot be (V8's strings hold at most 2²⁹ − 24 characters). */
function wholeText(bytes: Buffer): string {
  const most = 2 ** 29 - 24;
  if (bytes.length > most) throw new Error(`its ${bytes.length.toLocaleString('en-US')} bytes are read as one text only when its weights are one plain "base64" string (no escapes), as MLP Studio writes it`);
  return bytes.toString('utf8');
}
