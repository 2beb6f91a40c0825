// Counts a node:http request from its start until its response is finished or abandoned, including a
// pipelined request still queued when its client leaves (it never gets a 'close' of its own).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Callbacks to run when a socket closes: one listener per socket, however many requests it carries. */
const socketCloseCallbacks = new WeakMap<Socket, Set<() => void>>();

function onSocketClose(socket: Socket, callback: () => void): void {
  let callbacks = socketCloseCallbacks.get(socket);
  if (!callbacks) {
    const pending = new Set<() => void>();
    socket.once('close', () => {
      for (const pendingCallback of pending) pendingCallback();
      pending.clear();
    });
    socketCloseCallbacks.set(socket, pending);
    callbacks = pending;
  }
  callbacks.add(callback);
}

function forgetOnSocketClose(socket: Socket, callback: () => void): void {
  socketCloseCallbacks.get(socket)?.delete(callback);
}

/** Calls `onRequest('start')` now and `onRequest('end')` once, when the request is over either way. */
export function trackRequest(
  req: IncomingMessage,
  res: ServerResponse,
  onRequest: (phase: 'start' | 'end') => void,
): void {
  onRequest('start');
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    forgetOnSocketClose(req.socket, end);
    onRequest('end');
  };
  res.once('close', end);
  onSocketClose(req.socket, end);
}
