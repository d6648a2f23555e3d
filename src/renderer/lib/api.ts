// The one API object every component uses: `import { api } from '../lib/api'`.
import { pickTransport } from './transport';

export const transport = pickTransport();
export const api = transport.api;
