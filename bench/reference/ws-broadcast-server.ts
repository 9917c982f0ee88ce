import { WebSocket, WebSocketServer } from 'ws';
import { epochMs } from '../lib/ws-clients';

/**
 * The reference for the fan-out scenario: a bare `ws` server in its own process, speaking just enough
 * graphql-transport-ws for the same clients (connection_ack, then accepting a subscribe), and sending
 * a given schedule of message texts to every subscriber at given moments (epoch ms): each text made
 * into bytes once, then ws's own `send` in a loop: what pushing those bytes to N sockets costs, and
 * nothing else.
 *
 * IPC: receives { type: 'schedule', items: { at, text }[] }; sends { type: 'listening', port } and
 * { type: 'sent', at: number[] } (when each broadcast started) after the last one.
 */
const subscribed = new Set<WebSocket>();
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, backlog: 4096 });
server.on('connection', (socket) => {
  socket.on('message', (data: Buffer) => {
    const text = data.toString();
    if (text.includes('"connection_init"')) socket.send(JSON.stringify({ type: 'connection_ack' }));
    else if (text.includes('"subscribe"')) subscribed.add(socket);
  });
  socket.on('close', () => subscribed.delete(socket));
});
server.on('listening', () => process.send!({ type: 'listening', port: (server.address() as { port: number }).port }));

process.on('message', (message: { type: 'schedule'; items: { at: number; text: string }[] } | { type: 'count' }) => {
  if (message.type === 'count') {
    process.send!({ type: 'count', subscribed: subscribed.size });
    return;
  }
  const started: number[] = [];
  let left = message.items.length;
  for (const item of message.items) {
    const bytes = Buffer.from(item.text);
    setTimeout(() => {
      started.push(epochMs());
      for (const socket of subscribed) socket.send(bytes, { binary: false });
      if (--left === 0) process.send!({ type: 'sent', at: started });
    }, Math.max(0, item.at - epochMs()));
  }
});
process.on('SIGTERM', () => {
  for (const socket of subscribed) socket.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
process.on('disconnect', () => process.exit(0));
