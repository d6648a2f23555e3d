// A file the CLI cannot open, in words: "cannot read FILE: no such file" rather than Node's
// "ENOENT: no such file or directory, stat 'FILE'".

const WHY: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** The line for a file-system error on `path` (`role`: "training file", "test file", …), or null for any other error. */
export function fileErrorText(error: unknown, path: string, role = 'file'): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? WHY[code] : undefined;
  return why ? `cannot read ${role} ${path}: ${why}` : null;
}
