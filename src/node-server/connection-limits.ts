// Caps the connections one direct peer may hold open on the HTTP server, so that a single host cannot use up
// the server's total cap (`server.maxConnections`) or park a request body on every socket it can open.
// Counted per canonical address; a connection over the cap is destroyed the moment it is accepted.
// Behind a load balancer every connection comes from the balancer, so this is for direct exposure only.
// shareConnections goes further for the ops port: a total cap that a newcomer can always get under.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { canonicalIp } from '../http/client-ip';

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

export interface ConnectionShares {
  /** Open connections in all. */
  maxConnections: number;
  /** Open connections per peer address; one more is closed as soon as it is accepted. */
  maxPerPeer: number;
}

interface Held {
  peer: string;
  /** A request is being read or answered on it. */
  busy: boolean;
  /** When it last finished a request, or was accepted. */
  idleSince: number;
}

/**
 * Shares a server's connections among its peers, for a port whose clients are few and each need only a few
 * connections (the ops port's probes and scrapers): at most `maxPerPeer` per peer, and when all
 * `maxConnections` are held, a peer that holds fewer than the largest holder still gets in, in place of that
 * holder's longest-idle connection (one with no request being read or answered: never a request under way).
 * So no peer, nor any number of peers, can keep out one that holds none. Replaces `server.maxConnections`,
 * which drops connections before anyone can choose which.
 */
export function shareConnections(server: Server, shares: ConnectionShares): void {
  const held = new Map<Socket, Held>();
  const perPeer = new Map<string, number>();
  const countOf = (peer: string) => perPeer.get(peer) ?? 0;

  /** The idle connection of the largest holder above `than`, idle the longest; undefined when none is. */
  const evictable = (than: number): Socket | undefined => {
    let victim: { socket: Socket; count: number; idleSince: number } | undefined;
    for (const [socket, h] of held) {
      const count = countOf(h.peer);
      if (h.busy || count <= than) continue;
      if (!victim || count > victim.count || (count === victim.count && h.idleSince < victim.idleSince))
        victim = { socket, count, idleSince: h.idleSince };
    }
    return victim?.socket;
  };

  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress === undefined ? undefined : canonicalIp(socket.remoteAddress);
    if (peer === undefined || countOf(peer) >= shares.maxPerPeer) {
      socket.destroy();
      return;
    }
    if (held.size >= shares.maxConnections) {
      const victim = evictable(countOf(peer));
      if (!victim) {
        socket.destroy();
        return;
      }
      forget(victim);
      victim.destroy();
    }
    held.set(socket, { peer, busy: false, idleSince: Date.now() });
    perPeer.set(peer, countOf(peer) + 1);
    socket.once('close', () => forget(socket));
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const h = held.get(req.socket);
    if (!h) return;
    h.busy = true;
    res.once('close', () => {
      h.busy = false;
      h.idleSince = Date.now();
    });
  });

  function forget(socket: Socket): void {
    const h = held.get(socket);
    if (!h) return;
    held.delete(socket);
    const left = countOf(h.peer) - 1;
    if (left <= 0) perPeer.delete(h.peer);
    else perPeer.set(h.peer, left);
  }
}
