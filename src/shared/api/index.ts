// The API contract between the UI and the services (DESIGN §1): one typed object of async methods
// per namespace, plus typed event streams. Add a namespace by writing its file and listing it here.
import { appMethods, type AppEvents } from './app';
import { datasetsMethods, type DatasetEvents } from './datasets';
import type { ClientApi, Handlers } from './contract';
import { runsMethods, type RunsEvents } from './runs';

export const apiMethods = {
  app: appMethods,
  datasets: datasetsMethods,
  runs: runsMethods,
};

/** Every event the services emit, name → payload. */
export type ApiEvents = AppEvents & DatasetEvents & RunsEvents;

export type ApiMethods = typeof apiMethods;
/** What the renderer holds: `api.app.info()`, `api.on('runs.progress', …)`. */
export type Api = ClientApi<ApiMethods, ApiEvents>;
/** What src/main implements. */
export type ApiHandlers = Handlers<ApiMethods>;

export type { AppInfo } from './app';
