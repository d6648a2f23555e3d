import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { printable, streamIO } from './io';

/** A stream whose reader is gone after `open` writes: the next write raises EPIPE on a later tick, as a pipe does. */
class Pipe extends EventEmitter {
  written: string[] = [];
  constructor(private open: number) {
    super();
  }
  write(text: string) {
    if (this.open-- > 0) this.written.push(text);
    else queueMicrotask(() => this.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
    return true;
  }
}

describe('streamIO', () => {
  it('a closed pipe (EPIPE) drops the output and is told once, not thrown', async () => {
    const out = new Pipe(1);
    const err = new Pipe(0);
    let closed = 0;
    const io = streamIO(out, err, () => closed++);
    io.stdout('a\n');
    io.stdout('b\n');
    await Promise.resolve();
    io.stdout('c\n');
    io.stderr('note\n');
    await Promise.resolve();
    expect(out.written).toEqual(['a\n']);
    expect(closed).toBe(1);
    expect(out.listenerCount('error')).toBe(1);
  });

  it('a closed terminal (EIO, as an error event or thrown by the write itself) is a reader gone too: the command stops as on Ctrl-C', async () => {
    const terminal = new EventEmitter() as EventEmitter & { write: (text: string) => boolean };
    let hungUp = false;
    terminal.write = () => {
      if (hungUp) throw Object.assign(new Error('write EIO'), { code: 'EIO' });
      return true;
    };
    let closed = 0;
    const io = streamIO(terminal, new Pipe(5), () => closed++);
    io.stdout('epoch 1\n');
    hungUp = true;
    expect(() => io.stdout('epoch 2 (partial)\n')).not.toThrow();
    expect(closed).toBe(1);
    terminal.emit('error', Object.assign(new Error('read EIO'), { code: 'EIO' }));
    io.stdout('done\n');
    expect(closed).toBe(1);
  });

  it('other stream errors are not hidden', () => {
    const out = new Pipe(1);
    streamIO(out, new Pipe(1), () => {});
    expect(() => out.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toThrow('disk full');
  });
});

describe('printable', () => {
  it('shows control characters from files as U+FFFD, keeping tabs and line ends', () => {
    expect(printable('fashion\x1b[2J\x1b]0;pwned\x07.csv\tok\r\n')).toBe('fashion\ufffd[2J\ufffd]0;pwned\ufffd.csv\tok\r\n');
    expect(printable('T-shirt/top · Ünïcode ✓')).toBe('T-shirt/top · Ünïcode ✓');
  });

  it('is what stderr writes', () => {
    let written = '';
    const stream = { write: (t: string) => (written += t), on: () => undefined };
    streamIO(stream, stream, () => {}).stderr('error: \x1b[31mred\n');
    expect(written).toBe('error: \ufffd[31mred\n');
  });
});
