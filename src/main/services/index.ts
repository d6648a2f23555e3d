// All services, built once per process and handed to whichever adapter drives them (Electron, web, CLI).
import type { ApiHandlers, AppInfo } from '../../shared/api';
import { createAppService } from './app';
import type { ServiceContext } from './context';

export interface Services {
  handlers: ApiHandlers;
  /** Frees pools and files; called once on quit. */
  dispose: () => Promise<void>;
}

export function createServices(ctx: ServiceContext, transport: AppInfo['transport']): Services {
  const handlers: ApiHandlers = {
    app: createAppService(ctx, transport),
  };
  const disposers: Array<() => Promise<void> | void> = [];
  return {
    handlers,
    dispose: async () => {
      for (const dispose of disposers.reverse()) await dispose();
    },
  };
}
