// A training thread lowers its own priority (Linux: the nice value is per thread), so the UI runs first.
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { TRAINING_NICE, yieldToTheUi } from './thread-priority';

describe.runIf(process.platform === 'linux')('yieldToTheUi', () => {
  it("sets this thread's nice value to TRAINING_NICE, and calling it again changes nothing", () => {
    const before = getPriority(0);
    yieldToTheUi();
    // a thread may raise its nice value, never lower it without privileges: below TRAINING_NICE it is raised
    expect(getPriority(0)).toBe(Math.max(before, TRAINING_NICE));
    yieldToTheUi();
    expect(getPriority(0)).toBe(Math.max(before, TRAINING_NICE));
  });
});
