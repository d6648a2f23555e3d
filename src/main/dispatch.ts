// One generic entry for every API call, used by both the Electron IPC adapter and the WebSocket bridge:
// look the method up in the contract, validate the arguments against its schema, call the service.
import * as v from 'valibot';
import { apiMethods, type ApiHandlers } from '../shared/api';
import { wireName, type MethodSpec } from '../shared/api/contract';

/** An error the caller caused (unknown method, bad arguments): reported as is, never as an internal error. */
export class ApiCallError extends Error {
  override name = 'ApiCallError';
}

type AnyHandler = (...args: unknown[]) => unknown;

export interface Dispatcher {
  /** The wire names this dispatcher answers ("app.info", …). */
  names: string[];
  /** Validates `args` and calls the service; rejects with ApiCallError for caller mistakes. */
  call: (name: string, args: unknown) => Promise<unknown>;
}

export function createDispatcher(handlers: ApiHandlers): Dispatcher {
  const table = new Map<string, { spec: MethodSpec; handler: AnyHandler }>();
  for (const [ns, group] of Object.entries(apiMethods)) {
    for (const [m, spec] of Object.entries(group as Record<string, MethodSpec>)) {
      const handler = (handlers as unknown as Record<string, Record<string, AnyHandler>>)[ns]?.[m];
      if (typeof handler !== 'function') throw new Error(`service for ${wireName(ns, m)} is missing`);
      table.set(wireName(ns, m), { spec, handler });
    }
  }
  return {
    names: [...table.keys()],
    async call(name, args) {
      const entry = typeof name === 'string' ? table.get(name) : undefined;
      if (!entry) throw new ApiCallError(`unknown API method '${String(name)}'`);
      const arity = (entry.spec.args as { items?: unknown[] }).items?.length;
      if (Array.isArray(args) && arity !== undefined && args.length > arity) {
        throw new ApiCallError(`${name}: invalid arguments: expected at most ${arity}, got ${args.length}`);
      }
      const parsed = v.safeParse(entry.spec.args, args);
      if (!parsed.success) {
        const issue = parsed.issues[0];
        const path = v.getDotPath(issue);
        throw new ApiCallError(`${name}: invalid argument${path ? ` ${path}` : 's'}: ${issue.message}`);
      }
      return entry.handler(...(parsed.output as unknown[]));
    },
  };
}
