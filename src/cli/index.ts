// Entry of `npm run cli -- COMMAND …`: the headless face of the same services the app uses.
import { UsageError } from './args';
import type { CliIO, Command } from './command';
import { streamIO } from './io';
import { APP_NAME, APP_VERSION } from '../shared/app-info';
import { trainCommand } from './commands/train';
import { inspectCommand } from './commands/inspect';
import { predictCommand } from './commands/predict';

const commands: Command[] = [trainCommand, predictCommand, inspectCommand];

function usage(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return [
    `${APP_NAME} ${APP_VERSION} — command line`,
    '',
    'Usage: npm run cli -- COMMAND [options]',
    '',
    'Commands:',
    list || '  (none yet)',
    '',
    'Options:',
    '  --help     show this help, or a command\'s help after its name',
    '  --version  print the version',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'help' && rest.length > 0) return main([...rest, '--help'], io); // `help train` = `train --help`
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    // Asked for: stdout, exit 0. No command at all is a usage error: stderr, exit 2.
    (first === undefined ? io.stderr : io.stdout)(usage() + '\n');
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${APP_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    io.stderr(`error: unknown command '${first}'. Run with --help to list the commands.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help() + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}. Run 'npm run cli -- ${command.name} --help' for usage.\n`);
      return 2;
    }
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

// Output whose reader went away (`| head`) stops a training run as Ctrl-C does (it keeps its checkpoint); with no run
// to stop (inspect, or a run that has ended and writes --out) the command just finishes without output.
const io: CliIO = streamIO(process.stdout, process.stderr, () => {
  if (process.listenerCount('SIGINT') > 0) process.emit('SIGINT', 'SIGINT');
});

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
