// Files at the transport's edge: Electron hands the services real paths; browser mode uploads the bytes
// to the local server first. Either way the services receive a FileRef.
import type { DialogFilter, FileRef } from '../../shared/api/files';
import { transport } from './api';

/** Turns a File (dropped or picked) into a FileRef the services can open. Uploads report progress 0–1. */
export async function toFileRef(file: File, onProgress?: (fraction: number) => void): Promise<FileRef> {
  if (transport.kind === 'electron') {
    const path = transport.files.pathForFile(file);
    if (!path) throw new Error(`cannot read '${file.name}': it has no path on disk`);
    return { kind: 'path', path };
  }
  const { id } = await upload(file, onProgress);
  return { kind: 'upload', id, name: file.name };
}

function upload(file: File, onProgress?: (fraction: number) => void): Promise<{ id: string }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/upload?name=${encodeURIComponent(file.name)}`);
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    request.onload = () => {
      if (request.status === 200) resolve(JSON.parse(request.responseText) as { id: string });
      else reject(new Error(`upload of '${file.name}' failed: ${request.status} ${request.responseText.trim()}`));
    };
    request.onerror = () => reject(new Error(`upload of '${file.name}' failed: the server cannot be reached`));
    request.send(file);
  });
}

/**
 * Asks the user for files: the native dialog in Electron, a file input in browser mode.
 * Resolves to FileRefs (empty when cancelled). Uploads report progress 0–1 with the file's name.
 */
export async function chooseFiles(title: string, filters: DialogFilter[], onProgress?: (fraction: number, name: string) => void): Promise<FileRef[]> {
  if (transport.kind === 'electron') {
    const paths = await transport.files.showOpenDialog(title, filters);
    return paths.map((path) => ({ kind: 'path', path }));
  }
  const files = await pickWithInput(filters);
  const refs: FileRef[] = [];
  for (const file of files) refs.push(await toFileRef(file, (fraction) => onProgress?.(fraction, file.name)));
  return refs;
}

function pickWithInput(filters: DialogFilter[]): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    const accept = filters.flatMap((f) => f.extensions).filter((e) => e !== '*');
    if (accept.length) input.accept = accept.map((e) => `.${e}`).join(',');
    input.addEventListener('change', () => resolve([...(input.files ?? [])]), { once: true });
    input.addEventListener('cancel', () => resolve([]), { once: true });
    input.click();
  });
}
