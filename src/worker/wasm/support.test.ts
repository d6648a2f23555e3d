// Feature detection: the probes are well-formed modules, so "unsupported" can only mean the runtime lacks
// the feature, never that a probe is broken.
import { describe, expect, it } from 'vitest';
import { enableRelaxedSimd } from '../../main/wasm-features';
import { wasmRelaxedSimdSupported, wasmSimdSupported } from './support';

describe('WebAssembly feature detection', () => {
  it('finds 128-bit SIMD in Node 20', () => {
    expect(wasmSimdSupported()).toBe(true);
  });

  it('probes once per thread: asking again creates no memory (each reserves gigabytes of address space)', () => {
    const Native = WebAssembly.Memory;
    let created = 0;
    WebAssembly.Memory = new Proxy(Native, {
      construct(target, args: [WebAssembly.MemoryDescriptor]) {
        created++;
        return new target(...args);
      },
    });
    try {
      for (let i = 0; i < 3; i++) {
        wasmSimdSupported();
        wasmRelaxedSimdSupported();
      }
    } finally {
      WebAssembly.Memory = Native;
    }
    expect(created).toBeLessThanOrEqual(1);
  });

  it('finds relaxed SIMD once it is switched on, and keeps it on', () => {
    expect(enableRelaxedSimd()).toBe(true);
    expect(wasmRelaxedSimdSupported()).toBe(true);
    expect(enableRelaxedSimd()).toBe(true); // idempotent
  });
});
