// Test support shared by the main-process tests: builds worker-thread entries (TS sources) into a temp
// folder with vite, as the app's build does, so tests drive real worker threads through real code.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

/**
 * Bundles each entry (name → source path from the project root) as an ES module into one new temp folder;
 * `fileName(name)` is its output file name (default `${name}.js`). Returns the folder.
 */
export async function buildEntriesForTests(prefix: string, entries: Record<string, string>, fileName: (name: string) => string = (name) => `${name}.js`): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), prefix));
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      minify: false,
      rolldownOptions: {
        input: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, resolve(path)])),
        output: { format: 'es', entryFileNames: (chunk) => fileName(chunk.name) },
      },
    },
    ssr: { noExternal: true },
  });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n'); // the .js files are ES modules
  return outDir;
}
