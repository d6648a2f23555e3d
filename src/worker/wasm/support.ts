// Feature detection: can this runtime run the WASM SIMD kernels? (Node 20, Electron and current browsers can;
// the app shows the answer and falls back to the plain TypeScript kernels when it is false.) The kernels
// module imports a shared memory (so one run's threads can share it), so it also needs shared memories.

// A minimal module whose one function uses v128: (func (result v128) v128.const i32x4 0 0 0 0).
const simdProbe = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code: body of 20 bytes, no locals, v128.const
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0x0b, // end
]);

/** True when SharedArrayBuffer and Atomics exist (a data-parallel run's threads share memory through them;
 *  browsers have them only in cross-origin isolated pages). */
export function sharedMemorySupported(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
}

let simdSupported: boolean | undefined;

/** True when WebAssembly exists, validates a module that uses 128-bit SIMD, and can create a shared memory.
 *  Answered once per thread: the probe's memory reserves gigabytes of address space until a collection frees it. */
export function wasmSimdSupported(): boolean {
  return (simdSupported ??= probeSimd());
}

function probeSimd(): boolean {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(simdProbe) || !sharedMemorySupported()) return false;
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

// (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0)))
const zeros = (): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const relaxedProbe = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, // code: body of 59 bytes, no locals
  ...zeros(), ...zeros(), ...zeros(),
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 261)
  0x0b, // end
]);

/** True when the runtime also has relaxed SIMD (its fused multiply-add): V8 ≥ 11.4, i.e. Electron ≥ 25 and
 *  Node ≥ 22; Node 20 after `--experimental-wasm-relaxed-simd` (src/main/wasm-features.ts turns it on). */
export function wasmRelaxedSimdSupported(): boolean {
  try {
    return wasmSimdSupported() && WebAssembly.validate(relaxedProbe);
  } catch {
    return false;
  }
}
