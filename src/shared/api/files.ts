// How the UI names a file to the services. Electron passes real paths (dialog, or webUtils.getPathForFile for
// drops); browser mode first uploads the bytes over HTTP and passes the upload's id. Below this edge one code
// path reads the file (src/main/services/files.ts for paths, src/main/web/upload-store.ts for uploads: a FileRef to a path on the host).
import * as v from 'valibot';

export const FileRefSchema = v.variant('kind', [
  v.object({ kind: v.literal('path'), path: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)) }),
  v.object({
    kind: v.literal('upload'),
    id: v.pipe(v.string(), v.regex(/^[a-z0-9-]{8,64}$/, 'an upload id')),
    /** The file's own name as the user saw it, for messages. */
    name: v.pipe(v.string(), v.maxLength(1024)),
  }),
]);

export type FileRef = v.InferOutput<typeof FileRefSchema>;

/** A file-type filter of an open/save dialog, e.g. { name: 'CSV', extensions: ['csv'] }. */
export const DialogFilterSchema = v.object({
  name: v.pipe(v.string(), v.maxLength(100)),
  extensions: v.array(v.pipe(v.string(), v.regex(/^[a-z0-9*.]{1,16}$/i))),
});
export type DialogFilter = v.InferOutput<typeof DialogFilterSchema>;
