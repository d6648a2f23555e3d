// Test helpers for src/shared's tests (Node is allowed here).
import { execFileSync } from 'node:child_process';

/** A Python that imports `module` (the PATH's python3, else Debian's /usr/bin/python3), or null: the tests that
 *  check our files with NumPy or the ONNX checker skip without one, and say so. */
export function pythonWith(module: string): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', `import ${module}`], { stdio: 'ignore' });
      return python;
    } catch {
      // the next one
    }
  }
  return null;
}
