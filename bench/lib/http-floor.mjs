// What one HTTP request costs on this machine when nothing but node:http runs on either side: a server process that
// answers every request with a fixed small JSON body, and a client (this process) on a keep-alive agent with a few
// requests in flight, as the flow's parts talk to each other. The CPU time of both sides per request is the floor of
// any request of the flow (Fastify, JSON, the database and logging come on top of it), so next to the signing bound
// it says how much of that bound the shape of an order (its requests over loopback) leaves reachable at all.
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const serverModule = fileURLToPath(new URL('./http-floor-server.mjs', import.meta.url));

/**
 * @param {{ requests?: number, inFlight?: number }} options
 * @returns {Promise<{ requests: number, clientCpuUs: number, serverCpuUs: number, cpuUs: number }>} CPU per request
 */
export async function measureHttpFloor({ requests = 20_000, inFlight = 8 } = {}) {
  const server = fork(serverModule, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await ask(server, { type: 'port' });
    const agent = new http.Agent({ keepAlive: true });
    const get = () =>
      new Promise((resolve, reject) => {
        http
          .get({ agent, host: '127.0.0.1', port, path: '/orders/ord_floor' }, (response) => {
            response.resume();
            response.on('end', resolve);
            response.on('error', reject);
          })
          .on('error', reject);
      });
    const run = async (count) => {
      let started = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (started++ < count) await get();
        }),
      );
    };
    await run(Math.min(2_000, requests));
    const serverBefore = await ask(server, { type: 'cpu' });
    const clientBefore = process.cpuUsage();
    await run(requests);
    const client = process.cpuUsage(clientBefore);
    const serverAfter = await ask(server, { type: 'cpu' });
    agent.destroy();
    const clientCpuUs = (client.user + client.system) / requests;
    const serverCpuUs = (serverAfter.user + serverAfter.system - serverBefore.user - serverBefore.system) / requests;
    return { requests, clientCpuUs, serverCpuUs, cpuUs: clientCpuUs + serverCpuUs };
  } finally {
    server.kill();
  }
}

function ask(child, message) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`the bare HTTP server stopped (exit ${code})`));
    child.once('exit', onExit);
    child.once('message', (answer) => {
      child.off('exit', onExit);
      resolve(answer);
    });
    child.send(message);
  });
}
