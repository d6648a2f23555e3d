import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const pkg = JSON.parse(readFileSync(resolve(__dirname, 'package.json'), 'utf8')) as { version: string };
const define = { __APP_VERSION__: JSON.stringify(pkg.version) };

export default defineConfig({
  // Node side: the Electron main process, and the entries that run under plain Node
  // (browser mode, CLI, bench, the Piscina task). All land in out/main/ side by side.
  main: {
    define,
    build: {
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          web: resolve(__dirname, 'src/main/web.ts'),
          cli: resolve(__dirname, 'src/cli/index.ts'),
          bench: resolve(__dirname, 'src/cli/bench/index.ts'),
          'csv-task': resolve(__dirname, 'src/main/datasets/csv-task.ts'),
          'model-file-task': resolve(__dirname, 'src/main/runs/model-file-task.ts'),
          ...(existsSync(resolve(__dirname, 'src/worker/task.ts')) ? { worker: resolve(__dirname, 'src/worker/task.ts'), 'shard-task': resolve(__dirname, 'src/worker/shard-task.ts') } : {}),
        },
      },
    },
  },
  // Sandboxed preloads must be CommonJS with everything bundled in.
  preload: {
    define,
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    define,
    plugins: [svelte({ configFile: resolve(__dirname, 'svelte.config.js') })],
    build: {
      rolldownOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
