// Caps the connections one direct peer may hold open on the HTTP server, so that a single host cannot use up
// the server's total cap (`server.maxConnections`) or park a request body on every socket it can open.
// Counted per canonical address; a connection over the cap is destroyed the moment it is accepted.
// Behind a load balancer every connection comes from the balancer, so this is for direct exposure only.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { canonicalIp } from './client-ip';

/** Destroys each connection that `server` accepts while its peer already holds `maxPerPeer` (> 0) open. */
export function limitConnectionsPerPeer(server: Server, maxPerPeer: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress === undefined ? undefined : canonicalIp(socket.remoteAddress);
    // A socket without an address was reset before it was accepted: there is nothing to serve.
    if (peer === undefined) {
      socket.destroy();
      return;
    }
    const count = open.get(peer) ?? 0;
    if (count >= maxPerPeer) {
      socket.destroy();
      return;
    }
    open.set(peer, count + 1);
    socket.once('close', () => {
      const left = (open.get(peer) ?? 1) - 1;
      if (left === 0) open.delete(peer);
      else open.set(peer, left);
    });
  });
}
