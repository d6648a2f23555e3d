// The CLI's output streams. A reader that goes away (`cli train … | head -3`) closes the pipe: the next write fails
// with EPIPE, which Node raises as an unhandled 'error' event, a stack trace and a run left behind as 'running'; a
// terminal that is closed (or an SSH session that drops) fails the same way with EIO. Here the output stops quietly
// instead and `onClosed` is told once (index.ts: the command stops as on Ctrl-C). What goes to stderr is shown
// without its control characters (printable).
import type { CliIO } from './command';

/** The part of a stream this needs (process.stdout, process.stderr). */
export interface OutStream {
  write: (text: string) => unknown;
  on: (event: 'error', listener: (error: NodeJS.ErrnoException) => void) => unknown;
  isTTY?: boolean;
}

/** The errors of an output whose reader is gone: a closed pipe (EPIPE), a closed terminal (EIO, ENXIO). */
const READER_GONE = new Set(['EPIPE', 'EIO', 'ENXIO']);

/** A CliIO over two streams; after either one's reader goes (READER_GONE) its writes are dropped and `onClosed` is
 *  called once. Other stream errors are rethrown, as Node would. */
export function streamIO(stdout: OutStream, stderr: OutStream, onClosed: () => void): CliIO {
  let told = false;
  const watch = (stream: OutStream) => {
    const state = { closed: false };
    const gone = (error: NodeJS.ErrnoException) => {
      if (!READER_GONE.has(error.code ?? '')) throw error;
      state.closed = true;
      if (!told) {
        told = true;
        onClosed();
      }
    };
    stream.on('error', gone);
    return (text: string) => {
      if (state.closed) return;
      try {
        stream.write(text); // a terminal's writes are synchronous: its EIO can come here too
      } catch (error) {
        gone(error as NodeJS.ErrnoException);
      }
    };
  };
  const toStderr = watch(stderr);
  return { stdout: watch(stdout), stderr: (text) => toStderr(printable(text)), isTTY: Boolean(stdout.isTTY) };
}

/** `text` with control characters other than tab, newline and carriage return shown as U+FFFD: what a file says
 *  (a model's data set name, a binary file quoted in an error) reaches the terminal as text, not as its commands. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '\ufffd');
}
