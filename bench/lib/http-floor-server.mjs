// The bare server of http-floor.mjs: node:http alone, one fixed JSON answer about the size of an order's.
import http from 'node:http';

const body = JSON.stringify({
  id: 'ord_floor',
  status: 'PAYING',
  currency: 'USD',
  amount: 4550,
  lines: [
    { productId: 'coffee-beans', name: 'Coffee beans', quantity: 1, unitPrice: 1850, lineTotal: 1850 },
    { productId: 'dot-notebook', name: 'Dot notebook', quantity: 2, unitPrice: 1350, lineTotal: 2700 },
  ],
  createdAt: '2026-12-01T00:00:00.000Z',
});
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) };

const server = http.createServer((request, response) => {
  request.resume();
  response.writeHead(200, headers);
  response.end(body);
});
server.keepAliveTimeout = 60_000;

process.on('message', (message) => {
  if (message.type === 'port') {
    if (server.listening) process.send(server.address().port);
    else server.listen(0, '127.0.0.1', () => process.send(server.address().port));
  } else if (message.type === 'cpu') {
    process.send(process.cpuUsage());
  }
});
process.on('disconnect', () => process.exit(0));
