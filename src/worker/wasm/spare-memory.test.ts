// The thread's spare memory: taken when large enough (zeroed), given back, at most one kept and none above
// the limit. (./task-memory.test.ts shows runs training on it exactly as on new memories.)
import { beforeEach, describe, expect, it } from 'vitest';
import { dropSpareMemory, memoryIdOf, returnSpareMemory, SPARE_LIMIT_BYTES, spareMemoryStats, takeSharedMemory } from './spare-memory';

const PAGE = 65536;

describe('spare memory', () => {
  beforeEach(() => dropSpareMemory());

  it('hands the given-back memory to the next taker that fits in it, zeroed', () => {
    const first = takeSharedMemory(4, 'test');
    expect(first.buffer.byteLength).toBe(4 * PAGE);
    new Uint8Array(first.buffer).fill(7);
    returnSpareMemory(first);
    const reused = spareMemoryStats.reused;
    const second = takeSharedMemory(3, 'test');
    expect(second).toBe(first);
    expect(spareMemoryStats.reused).toBe(reused + 1);
    expect(new Uint8Array(second.buffer, 0, 3 * PAGE).every((b) => b === 0)).toBe(true);
  });

  it('creates a new memory when the spare is too small or already taken', () => {
    const small = takeSharedMemory(2, 'test');
    returnSpareMemory(small);
    const big = takeSharedMemory(5, 'test');
    expect(big).not.toBe(small);
    expect(big.buffer.byteLength).toBe(5 * PAGE);
    returnSpareMemory(big);
    const taken = takeSharedMemory(1, 'test');
    expect(taken).toBe(big);
    expect(takeSharedMemory(1, 'test')).not.toBe(big); // a second taker meanwhile gets its own
  });

  it('keeps the larger of two given back, and none above the limit', () => {
    const a = takeSharedMemory(2, 'test');
    const b = takeSharedMemory(6, 'test');
    returnSpareMemory(b);
    returnSpareMemory(a);
    expect(takeSharedMemory(1, 'test')).toBe(b);
    const huge = takeSharedMemory(SPARE_LIMIT_BYTES / PAGE + 1, 'test');
    returnSpareMemory(huge);
    expect(takeSharedMemory(1, 'test')).not.toBe(huge);
  });

  it('refuses a size no wasm32 memory can have, naming the caller', () => {
    expect(() => takeSharedMemory(0, 'createWasmBackend')).toThrow('createWasmBackend: 0 pages of 64 KiB');
    expect(() => takeSharedMemory(65537, 'createWasmBackend')).toThrow('(1 to 65536, 4 GiB)');
  });
});

describe('memoryIdOf', () => {
  it('gives a memory one id for its life, as its spare and taken again, and another memory another', () => {
    dropSpareMemory();
    const a = takeSharedMemory(1, 'test');
    const id = memoryIdOf(a);
    expect(id).toMatch(/^[0-9a-z]{8,}$/);
    returnSpareMemory(a);
    const again = takeSharedMemory(1, 'test');
    expect(again).toBe(a);
    expect(memoryIdOf(again)).toBe(id);
    expect(memoryIdOf(takeSharedMemory(1, 'test'))).not.toBe(id);
  });
});
