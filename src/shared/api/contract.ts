// The building blocks of the API contract. A contract is a two-level object: namespace → method →
// MethodSpec (a valibot schema of the argument tuple, plus a phantom result type). Events are a map of
// name → payload type. Every transport is generic over these types; no method is wired by hand.
import type * as v from 'valibot';

/** Schema of a method's argument list: a valibot tuple schema. */
export type ArgsSchema = v.GenericSchema<readonly unknown[], readonly unknown[]>;

export interface MethodSpec<S extends ArgsSchema = ArgsSchema, R = unknown> {
  readonly args: S;
  /** Phantom: never set at run time; carries the result type. */
  readonly result?: R;
}

/** Declares a method: `info: method(v.tuple([]), returns<AppInfo>())`. */
export function method<S extends ArgsSchema, R>(args: S, _result: Returns<R>): MethodSpec<S, R> {
  return { args };
}

declare const returnsBrand: unique symbol;
export interface Returns<R> {
  readonly [returnsBrand]?: R;
}
/** The result type of a method, as a value for `method(…, returns<T>())`. */
export function returns<R>(): Returns<R> {
  return {};
}

export type Namespace = Record<string, MethodSpec>;
export type Methods = Record<string, Namespace>;

type ResultOf<M> = M extends MethodSpec<ArgsSchema, infer R> ? R : never;
type ArgsOf<M> = M extends MethodSpec<infer S, unknown> ? S : never;

/** What the renderer calls: `api.app.info()`; arguments as the caller writes them. */
export type ClientMethods<T extends Methods> = {
  [NS in keyof T]: {
    [M in keyof T[NS]]: (...args: Extract<v.InferInput<ArgsOf<T[NS][M]>>, readonly unknown[]>) => Promise<ResultOf<T[NS][M]>>;
  };
};

/** What the services implement; arguments arrive validated (schema output types). */
export type Handlers<T extends Methods> = {
  [NS in keyof T]: {
    [M in keyof T[NS]]: (
      ...args: Extract<v.InferOutput<ArgsOf<T[NS][M]>>, readonly unknown[]>
    ) => Promise<ResultOf<T[NS][M]>> | ResultOf<T[NS][M]>;
  };
};

/** Subscribes to an event stream; returns the unsubscribe function. */
export type Subscribe<E> = <K extends keyof E & string>(event: K, listener: (payload: E[K]) => void) => () => void;

/** The whole client-side API: methods plus `on` for events. */
export type ClientApi<T extends Methods, E> = ClientMethods<T> & { on: Subscribe<E> };

/** Wire name of a method: "namespace.method". */
export function wireName(namespace: string, methodName: string): string {
  return `${namespace}.${methodName}`;
}

/** Every wire name of a contract, in declaration order. */
export function wireNames(methods: Methods): string[] {
  return Object.entries(methods).flatMap(([ns, group]) => Object.keys(group).map((m) => wireName(ns, m)));
}

/** Builds the client object from one generic `invoke`; both transports use this. */
export function buildClient<T extends Methods, E>(
  methods: T,
  invoke: (name: string, args: unknown[]) => Promise<unknown>,
  on: Subscribe<E>,
): ClientApi<T, E> {
  const client: Record<string, unknown> = { on };
  for (const [ns, group] of Object.entries(methods)) {
    const target: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const m of Object.keys(group)) {
      const name = wireName(ns, m);
      target[m] = (...args: unknown[]) => invoke(name, args);
    }
    client[ns] = target;
  }
  return client as ClientApi<T, E>;
}
