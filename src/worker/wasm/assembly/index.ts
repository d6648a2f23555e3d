// Entry of the WASM kernels module (scripts/build-wasm.mjs compiles this file). Every export takes byte
// addresses into the imported memory `env.memory`; the JS side (../backend.ts) owns allocation.
export { matmulForward, matmulBackwardWeight, forwardSkipsZeros, weightSkipsZeros } from './gemm';
export { matmulBackwardInput } from './input-grad';
export { sgdStep, momentumStep, rmspropStep, adamStep } from './optim';
export { reluForward, reluBackward, gatherRows, scaleBytes, zeroFloats } from './elementwise';
export { countPairEntries } from './sparse';

/** First free byte after the module's static data: the JS bump allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
export { softmaxForward, crossEntropyBackward } from './head';
