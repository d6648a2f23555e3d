// The WebSocket half of browser mode: each message is a call of the API contract, answered by the same
// dispatcher the Electron adapter uses; service events are broadcast to every open socket.
import * as v from 'valibot';
import type { WebSocket } from 'ws';
import { ClientMessageSchema, fromWire, toWire, type ServerMessage } from '../../shared/api/wire';
import { ApiCallError, type Dispatcher } from '../dispatch';

export class SocketBridge {
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly log: (line: string) => void,
  ) {}

  attach(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        socket.close(1003, 'binary frames are not part of the protocol');
        return;
      }
      void this.handle(socket, data.toString());
    });
  }

  broadcast(name: string, payload: unknown): void {
    const text = JSON.stringify({ type: 'event', name, payload: toWire(payload) } satisfies ServerMessage);
    for (const socket of this.sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.close(1001, 'server stopping');
  }

  private async handle(socket: WebSocket, text: string): Promise<void> {
    let message;
    try {
      message = v.parse(ClientMessageSchema, JSON.parse(text));
    } catch {
      socket.close(1008, 'malformed message');
      return;
    }
    let reply: ServerMessage;
    try {
      const value = await this.dispatcher.call(message.name, fromWire(message.args));
      reply = { type: 'result', id: message.id, ok: true, value: toWire(value) };
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      if (!(err instanceof ApiCallError)) this.log(`${message.name} failed: ${err.stack ?? err.message}`);
      reply = { type: 'result', id: message.id, ok: false, error: { name: err.name, message: err.message } };
    }
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
  }
}
