// app.*: facts about this installation.
import { availableParallelism, platform } from 'node:os';
import { APP_NAME, APP_VERSION } from '../../shared/app-info';
import type { ApiHandlers, AppInfo } from '../../shared/api';
import type { ServiceContext } from './context';

/** Whether this engine validates a module using a v128 instruction (WebAssembly SIMD). */
export function detectWasmSimd(): boolean {
  // (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
  const bytes = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
  ]);
  return WebAssembly.validate(bytes);
}

export function createAppService(ctx: ServiceContext, transport: AppInfo['transport']): ApiHandlers['app'] {
  const wasmSimd = detectWasmSimd();
  return {
    info: () => ({
      name: APP_NAME,
      version: APP_VERSION,
      transport,
      cores: Math.max(1, availableParallelism()),
      dataDir: ctx.dataDir,
      platform: platform(),
      wasmSimd,
    }),
  };
}
