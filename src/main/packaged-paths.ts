// Paths in a packaged app. electron-builder packs the app into resources/app.asar; the files listed under
// asarUnpack (electron-builder.yml: the worker entries and the packages they import) also sit as real files in
// resources/app.asar.unpacked, where worker threads load them without going through the archive.

/** The same path inside app.asar.unpacked when it points into app.asar; any other path unchanged. */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
