// The shape every CLI command has. Commands live in ./commands, one file each, and are listed in ./index.ts.

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stdout is a terminal (progress bars are drawn only then). */
  isTTY: boolean;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full help text for `cli COMMAND --help`. */
  help: () => string;
  /** Returns the process exit code: 0 success, 1 failure, 2 bad usage or bad input. */
  run: (argv: string[], io: CliIO) => Promise<number>;
}
