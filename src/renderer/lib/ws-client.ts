// Browser mode's transport: the API contract over one WebSocket to the local server that served this page.
import { apiMethods, type Api, type ApiEvents } from '../../shared/api';
import { buildClient, type Subscribe } from '../../shared/api/contract';
import { fromWire, toWire, type ServerMessage } from '../../shared/api/wire';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface Connection {
  api: Api;
  /** Resolves once the socket is open; rejects with a readable reason if it cannot be. */
  ready: Promise<void>;
  onClose: (listener: (reason: string) => void) => void;
}

export function connectWebSocket(url: string): Connection {
  const socket = new WebSocket(url);
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const closeListeners = new Set<(reason: string) => void>();
  let nextId = 1;
  let closed = false;

  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('cannot reach the MLP Studio server')), { once: true });
  });
  ready.catch(() => {});

  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as ServerMessage;
    if (message.type === 'event') {
      const payload = fromWire(message.payload);
      for (const listener of listeners.get(message.name) ?? []) listener(payload);
      return;
    }
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(fromWire(message.value));
    else waiter.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
  });

  socket.addEventListener('close', (event) => {
    closed = true;
    const reason = event.reason || 'the connection to the MLP Studio server was lost';
    for (const waiter of pending.values()) waiter.reject(new Error(reason));
    pending.clear();
    for (const listener of closeListeners) listener(reason);
  });

  const invoke = async (name: string, args: unknown[]): Promise<unknown> => {
    await ready;
    if (closed) throw new Error('the connection to the MLP Studio server is closed');
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ type: 'call', id, name, args: toWire(args) }));
    });
  };

  const on: Subscribe<ApiEvents> = (event, listener) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  };

  return { api: buildClient(apiMethods, invoke, on), ready, onClose: (l) => closeListeners.add(l) };
}
