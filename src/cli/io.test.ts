import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { streamIO } from './io';

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

  it('other stream errors are not hidden', () => {
    const out = new Pipe(1);
    streamIO(out, new Pipe(1), () => {});
    expect(() => out.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toThrow('disk full');
  });
});
