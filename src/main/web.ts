// Entry of `npm run web [-- --port N] [--data-dir DIR]`: the app's services behind a loopback WebSocket
// server, with the built renderer served to any local browser.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFolder } from './make-folder';
import { formatOptions, numberOption, parseArgs, UsageError } from '../cli/args';
import { fileErrorText } from '../shared/file-error';
import { APP_NAME, APP_VERSION } from '../shared/app-info';
import { defaultDataDir } from './data-dir';
import { createDispatcher } from './dispatch';
import { createServices } from './services';
import type { ServiceContext } from './services/context';
import { UploadStore } from './web/upload-store';
import { startWebServer } from './web/server';
import { uploadCleanup } from './web/upload-cleanup';
import { otherLiveProcess, processesFolder } from './runs/process-presence';

const optionSpecs = {
  port: { kind: 'string', value: 'N', help: 'port on 127.0.0.1 (default 4477; 0 picks a free one)' },
  'data-dir': { kind: 'string', value: 'DIR', help: 'where runs, checkpoints and uploads are kept (default: the OS app-data folder)' },
  'no-sample': { kind: 'boolean', help: 'do not load the built-in MNIST sample at start' },
  help: { kind: 'boolean', help: 'show this help' },
} as const;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, optionSpecs, { maxPositionals: 0 }); // a stray word is a mistake, not something to ignore
  if (args.options.has('help')) {
    process.stdout.write(`Usage: npm run web -- [options]\n\n${formatOptions(optionSpecs)}\n`);
    return 0;
  }
  const port = numberOption(args, 'port', { min: 0, max: 65535, integer: true }) ?? 4477;
  const dataDir = resolve(args.options.get('data-dir') ?? defaultDataDir());
  const here = dirname(fileURLToPath(import.meta.url));
  const rendererDir = join(here, '..', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write(`error: the renderer is not built (${rendererDir}). Run 'npm run build' first.\n`);
    return 1;
  }
  // A data folder that cannot hold runs fails here, in one line, not at every epoch's save once the page is open.
  try {
    await makeFolder(join(dataDir, 'runs'));
  } catch (error) {
    process.stderr.write(`error: ${fileErrorText(error, dataDir, 'data folder', 'use') ?? `cannot use data folder ${dataDir}: ${(error as Error).message}`}\n`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const uploads = new UploadStore(join(dataDir, 'uploads'));
  await uploads.load();
  let broadcast: (name: string, payload: unknown) => void = () => {};
  let tidyUploads = () => {};
  const ctx: ServiceContext = {
    dataDir,
    emit: (name, payload) => {
      broadcast(name, payload);
      if (name === 'datasets.closed' || name === 'runs.removed') tidyUploads(); // an upload may be needed no more
    },
    resolveFile: (ref) => uploads.resolve(ref),
    opened: (refs, fingerprint) => {
      uploads.noteOpened(refs, fingerprint).then(tidyUploads, (error: unknown) => log(`uploads: what ${refs.length > 1 ? 'these files were' : 'this file was'} opened as was not noted: ${String(error)}`));
    },
  };
  const services = await createServices(ctx, { transport: 'browser', workerFile: join(here, 'worker.js'), log, openSample: !args.options.has('no-sample') });
  // This server in the data folder's presence files (src/main/runs/process-presence.ts) from now on, not only while
  // it trains: a second server started on the folder sees it, and leaves the uploads it may have open alone.
  services.runs.presence.claim();
  const cleanup = uploadCleanup(
    uploads,
    {
      runs: () => services.runs.manager.list(),
      open: () => services.datasets.loadedDatasets().map((d) => d.summary.fingerprint),
      unreadableRuns: () => services.runs.manager.unreadable.length,
      otherServer: () => otherLiveProcess(processesFolder(dataDir), 'app'),
    },
    log,
    () => ctx.emit('datasets.recentChanged', {}), // the page's recent list offers those no more
  );
  await cleanup.atStart(); // the runs are listed by now: what they need stays
  tidyUploads = cleanup.soon;
  let server;
  try {
    server = await startWebServer({ port, rendererDir, uploads, log, onUploadStart: () => services.datasets.warmReaders() });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`error: port ${port} is in use. Pick another with --port N (0 picks a free one).\n`);
      return 1;
    }
    throw error;
  }
  broadcast = server.bridge(createDispatcher(services.handlers));
  process.stdout.write(`${APP_NAME} ${APP_VERSION} (browser mode) — open this address in your browser:\n${server.url}\n`);
  process.stdout.write(`data folder: ${dataDir}\nPress Ctrl+C to stop.\n`);

  const stop = async () => {
    await server.close();
    await services.dispose(); // (its presence removed with the runs' shutdown)
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  // A closed terminal or SSH session: as a quit (the runs stop and are saved), not as a crash that loses their epoch.
  process.once('SIGHUP', () => void stop());
  // Test harnesses set this and hold our stdin open: when they die, we go too (no orphaned servers).
  if (process.env.MLP_EXIT_WITH_PARENT === '1') {
    process.stdin.on('close', () => void stop());
    process.stdin.on('end', () => void stop());
    process.stdin.resume();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}. Run 'npm run web -- --help' for usage.\n`);
      process.exit(2);
    }
    process.stderr.write(`browser mode failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
