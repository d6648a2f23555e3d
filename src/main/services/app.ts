// app.*: facts about this installation.
import { availableParallelism, platform } from 'node:os';
import { APP_NAME, APP_VERSION } from '../../shared/app-info';
import type { ApiHandlers, AppInfo } from '../../shared/api';
import type { ServiceContext } from './context';
import { wasmSimdSupported } from '../../worker/wasm/support';
import { enableRelaxedSimd } from '../wasm-features';

export function createAppService(ctx: ServiceContext, transport: AppInfo['transport']): ApiHandlers['app'] {
  const wasmSimd = wasmSimdSupported();
  const wasmFma = wasmSimd && enableRelaxedSimd();
  return {
    info: () => ({
      name: APP_NAME,
      version: APP_VERSION,
      transport,
      cores: Math.max(1, availableParallelism()),
      dataDir: ctx.dataDir,
      platform: platform(),
      wasmSimd,
      wasmFma,
    }),
  };
}
