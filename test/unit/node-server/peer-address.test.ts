import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { capturePeerAddresses, compileTrust, resolveClientIp } from '../../../src/node-server/peer-address';

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    connection: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('resolveClientIp', () => {
  it('uses the socket address and ignores X-Forwarded-For when no proxy is trusted', () => {
    const trust = compileTrust({ kind: 'none' });
    expect(resolveClientIp(request('198.51.100.7', '1.2.3.4'), trust)).toBe('198.51.100.7');
  });

  it('takes the address before the trusted hops', () => {
    const trust = compileTrust({ kind: 'hops', hops: 1 });
    expect(resolveClientIp(request('10.0.0.2', '1.2.3.4, 203.0.113.5'), trust)).toBe('203.0.113.5');
  });

  it('does not let a client prepend addresses to skip past the trusted hops', () => {
    const trust = compileTrust({ kind: 'hops', hops: 1 });
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the real peer 203.0.113.5.
    expect(resolveClientIp(request('10.0.0.2', '6.6.6.6, 203.0.113.5'), trust)).toBe('203.0.113.5');
  });

  it('honours X-Forwarded-For only from trusted proxy addresses', () => {
    const trust = compileTrust({ kind: 'addresses', addresses: ['10.0.0.0/8'] });
    expect(resolveClientIp(request('10.0.0.2', '203.0.113.5'), trust)).toBe('203.0.113.5');
    expect(resolveClientIp(request('198.51.100.7', '203.0.113.5'), trust)).toBe('198.51.100.7');
  });

  it('walks through several trusted proxies', () => {
    const trust = compileTrust({ kind: 'addresses', addresses: ['loopback', '10.0.0.0/8'] });
    expect(resolveClientIp(request('127.0.0.1', '203.0.113.5, 10.1.1.1'), trust)).toBe('203.0.113.5');
  });

  it('resolves no client when a trusted proxy passes on something that is not an address', () => {
    // Falling back to the proxy's own address would put every such client in one shared bucket.
    const trust = compileTrust({ kind: 'addresses', addresses: ['loopback'] });
    for (const junk of [
      'not-an-ip <script>',
      'x'.repeat(5_000),
      'unknown',
      '0300.0.0.1',
      '1.2.3',
      '::ffff:zz',
    ])
      expect(resolveClientIp(request('127.0.0.1', junk), trust)).toBeUndefined();
    expect(resolveClientIp(request('127.0.0.1'), trust)).toBe('127.0.0.1');
  });

  it('reports IPv4-mapped IPv6 peers as plain IPv4', () => {
    expect(resolveClientIp(request('::ffff:192.0.2.1'), compileTrust({ kind: 'none' }))).toBe('192.0.2.1');
  });

  it('uses the peer address captured on connection after the closed socket has forgotten it', () => {
    const server = new EventEmitter();
    capturePeerAddresses(server as Server);
    const socket = { remoteAddress: '198.51.100.7' as string | undefined };
    server.emit('connection', socket as Socket);
    socket.remoteAddress = undefined;
    const req = { socket, headers: { 'x-forwarded-for': '203.0.113.5' } } as unknown as IncomingMessage;
    expect(resolveClientIp(req, compileTrust({ kind: 'none' }))).toBe('198.51.100.7');
    expect(resolveClientIp(req, compileTrust({ kind: 'hops', hops: 1 }))).toBe('203.0.113.5');
  });

  it('drops the port some proxies append to a forwarded address', () => {
    const trust = compileTrust({ kind: 'hops', hops: 1 });
    expect(resolveClientIp(request('10.0.0.2', '203.0.113.9:1234'), trust)).toBe('203.0.113.9');
    expect(resolveClientIp(request('10.0.0.2', '[2001:db8::1]:443'), trust)).toBe('2001:db8::1');
  });
});
