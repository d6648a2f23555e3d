// The inlining budget reaches V8 from the one place every entry's training threads come from (the
// training pool), once, before a pool has started a thread. What it saves is measured, not tested
// (src/main/v8-flags.ts; `npm run bench`).
import { spawnSync } from 'node:child_process';
import type * as v8 from 'node:v8';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const flagsSet = vi.hoisted(() => [] as string[]);
vi.mock('node:v8', async (importOriginal) => ({
  ...(await importOriginal<typeof v8>()),
  setFlagsFromString: (flags: string) => flagsSet.push(flags),
}));

describe('limitInlining', () => {
  beforeEach(() => vi.resetModules());

  it('is set by creating a training pool, before the pool starts any thread, and only once', async () => {
    flagsSet.length = 0;
    const { createTrainingPool } = await import('./runs/pool');
    const pool = createTrainingPool('no-such-worker.js', 1); // threads start on the first run only
    createTrainingPool('no-such-worker.js', 1);
    expect(flagsSet.filter((f) => f.startsWith('--max-inlined-bytecode-size-cumulative='))).toEqual(['--max-inlined-bytecode-size-cumulative=200']);
    await pool.destroy();
  });

  it("names a flag this runtime's V8 has, and cuts its default", async () => {
    flagsSet.length = 0;
    const { limitInlining, INLINING_BUDGET } = await import('./v8-flags');
    limitInlining();
    limitInlining();
    expect(flagsSet).toHaveLength(1);
    const [name, value] = flagsSet[0].split('=');
    expect(Number(value)).toBe(INLINING_BUDGET);
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    const listed = new RegExp(`^\\s*${name} .*\\n\\s*type: int\\s+default: ${name}=(\\d+)`, 'm').exec(options);
    expect(listed, `${name} in node --v8-options`).not.toBeNull();
    expect(INLINING_BUDGET).toBeLessThan(Number(listed![1]));
  });
});
