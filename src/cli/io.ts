// The CLI's output streams. A reader that goes away (`cli train … | head -3`) closes the pipe: the next write fails
// with EPIPE, which Node raises as an unhandled 'error' event, a stack trace and a run left behind as 'running'. Here
// the output stops quietly instead and `onClosed` is told once (index.ts: the command stops as on Ctrl-C).
import type { CliIO } from './command';

/** The part of a stream this needs (process.stdout, process.stderr). */
export interface OutStream {
  write: (text: string) => unknown;
  on: (event: 'error', listener: (error: NodeJS.ErrnoException) => void) => unknown;
  isTTY?: boolean;
}

/** A CliIO over two streams; after either pipe closes (EPIPE) its writes are dropped and `onClosed` is called once.
 *  Other stream errors are rethrown, as Node would. */
export function streamIO(stdout: OutStream, stderr: OutStream, onClosed: () => void): CliIO {
  let told = false;
  const watch = (stream: OutStream) => {
    const state = { closed: false };
    stream.on('error', (error) => {
      if (error.code !== 'EPIPE') throw error;
      state.closed = true;
      if (!told) {
        told = true;
        onClosed();
      }
    });
    return (text: string) => {
      if (!state.closed) stream.write(text);
    };
  };
  return { stdout: watch(stdout), stderr: watch(stderr), isTTY: Boolean(stdout.isTTY) };
}
