// A file the CLI or the server cannot open, in words: "cannot read FILE: no such file" rather than Node's
// "ENOENT: no such file or directory, stat 'FILE'".

const WHY: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  ESPIPE: 'it is a pipe or a device, not a file (data is read from a file: save it to one first)',
};

/** The line for a file-system error on `path` (`role`: "training file", "test file", …; `verb`: what was tried),
 *  or null for any other error. */
export function fileErrorText(error: unknown, path: string, role = 'file', verb = 'read'): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? WHY[code] : undefined;
  return why ? `cannot ${verb} ${role} ${path}: ${why}` : null;
}
