// What the bench's bare servers (bare-merchant-server.mjs, bare-wallet-server.mjs) share, so that each holds only
// its own protocol work: a node:http server answering JSON from a route function, a keep-alive client for the calls
// between them, the durable SQLite they write to, and answering the bench over IPC as its other parts do
// (processes.mjs).
import http from 'node:http';
import Database from 'better-sqlite3';

/** The whole body of a request (or response) as text. */
function readBody(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

/** Answers `body` (an object, or JSON text as signed) with `status`, and any extra headers (a signed answer's). */
function answerJson(response, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * A node:http server for a bare part. Each request's body is read whole, then `route(request, rawBody)` resolves
 * its answer: `{ status, body, headers? }`, or an error `{ status, code, message }`, answered as the merchant's API
 * answers one (`{ error: { code, message } }`). A thrown error is answered 400 for JSON that does not parse, else
 * 500, with its message. Connections stay open as long as the bench's clients keep them. `served()` counts requests.
 */
export function serveRoutes(route) {
  let requests = 0;
  const server = http.createServer(async (request, response) => {
    requests += 1;
    try {
      const answer = await route(request, await readBody(request));
      if (answer.code === undefined) answerJson(response, answer.status, answer.body, answer.headers);
      else answerJson(response, answer.status, { error: { code: answer.code, message: answer.message } });
    } catch (error) {
      const status = error instanceof SyntaxError ? 400 : 500;
      answerJson(response, status, { error: { code: 'FAILED', message: String(error?.message ?? error) } });
    }
  });
  server.keepAliveTimeout = 60_000;
  return { server, served: () => requests };
}

/** Listens on a free port of 127.0.0.1 and resolves the server's base URL. */
export function listen(server) {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)),
  );
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** POSTs `body` (a string) with `headers` to `url` over the keep-alive agent; resolves `{ status, headers, text }`. */
export function post(url, headers, body) {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: target.pathname,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        readBody(response).then(
          (text) => resolve({ status: response.statusCode, headers: response.headers, text }),
          reject,
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * A SQLite database that is durable when a transaction returns: WAL with `synchronous = FULL` (each commit waits for
 * its flush), as a payment's state must be before it is acknowledged. `schema` is run once.
 */
export function openDurable(path, schema) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(schema);
  return db;
}

/**
 * Answers each IPC message of the bench with one of the same `type` (or `{ type: 'error', message }`), from
 * `commands[type](message)`; `ready` and `cpu` (process.cpuUsage()) come built in. `stop` runs `onStop` and exits.
 */
export function answerBench(commands, onStop) {
  const all = { ready: () => ({}), cpu: () => process.cpuUsage(), ...commands };
  process.on('message', async (message) => {
    if (message?.type === 'stop') {
      onStop();
      process.exit(0);
    }
    try {
      const command = all[message?.type];
      if (command === undefined) throw new Error(`unknown command ${JSON.stringify(message?.type)}`);
      process.send({ type: message.type, ...(await command(message)) });
    } catch (error) {
      process.send({ type: 'error', message: String(error?.message ?? error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}
