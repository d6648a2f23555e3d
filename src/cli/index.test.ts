import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from './command';

// index.ts runs main(process.argv) as it is imported: give it `--version` (it prints one line), then call main.
const argv = process.argv;
process.argv = [argv[0], 'cli.js', '--version'];
const { main } = await import('./index');
process.argv = argv;
afterAll(() => {
  process.exitCode = undefined;
});

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('cli entry', () => {
  it('no command is a usage error: the usage on stderr, exit 2; --help on stdout, exit 0', async () => {
    const none = await cli();
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toContain('Usage: npm run cli -- COMMAND [options]');
    const help = await cli('--help');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toBe(none.stderr);
  });

  it('help COMMAND is that command\'s help', async () => {
    const help = await cli('help', 'inspect');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: npm run cli -- inspect FILE/);
    expect(await cli('help', 'nope')).toMatchObject({ code: 2, stderr: "error: unknown command 'nope'. Run with --help to list the commands.\n" });
  });
});
