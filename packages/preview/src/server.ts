// The preview server (node:http): the page and its two scripts, the compiled mini program (compiled again on
// each load, so a reload shows the folder as it is now), `my.request` made from Node, auth codes from the
// wallet sandbox, the folder's own files (images) and the live-reload channel (Server-Sent Events).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { compileApp } from './app-compiler';
import { DEFAULT_PREVIEW_PORT } from '@minipay/contract';
import { PreviewError } from './errors';
import { checkRequest, proxyRequest } from './request-proxy';
import { watchFolder } from './watch';

export interface PreviewOptions {
  /** The built mini program folder: the one with app.json that the IDE opens (e.g. mini-app/dist). */
  dir: string;
  /** Default 8220; 0 picks a free port. */
  port?: number;
  /** The interface to listen on. Default 127.0.0.1; `0.0.0.0` for every interface (a phone on the LAN). */
  host?: string;
  /** The wallet sandbox that `my.getAuthCode` gets codes from (production builds, which have no shim). */
  sandboxUrl?: string;
  /** The device width in CSS pixels: 750rpx is this wide. Default 375. */
  width?: number;
  /** Reload the page when the folder changes. Default true. */
  watch?: boolean;
}

export interface RunningPreview {
  /** Where to open the preview, e.g. `http://127.0.0.1:8220/`. */
  url: string;
  /** The folder it serves, resolved. */
  dir: string;
  close(): Promise<void>;
}

export const DEFAULT_WIDTH = 375;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.acss': 'text/css; charset=utf-8',
  '.axml': 'text/plain; charset=utf-8',
  '.sjs': 'text/plain; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

function browserAssets(): string {
  // dist/index.cjs → dist/browser; src/server.ts (tests) → dist/browser, built by `npm run build`.
  for (const candidate of [join(__dirname, 'browser'), join(__dirname, '..', 'dist', 'browser')]) {
    if (existsSync(join(candidate, 'view.js'))) return candidate;
  }
  throw new PreviewError(
    'NOT_A_MINI_PROGRAM',
    `the preview's browser scripts are not built (no view.js next to ${__dirname}): run npm run build`,
  );
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>minipay preview</title>
</head>
<body>
<script src="/__preview/view.js"></script>
</body>
</html>
`;

function checkOptions(
  options: PreviewOptions,
): Required<Pick<PreviewOptions, 'port' | 'host' | 'width' | 'watch'>> & { dir: string; sandboxUrl?: string } {
  if (!options || typeof options.dir !== 'string' || options.dir === '')
    throw new PreviewError(
      'INVALID_OPTION',
      'startPreview needs dir: the built mini program folder (e.g. mini-app/dist)',
    );
  const dir = resolve(options.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new PreviewError('INVALID_OPTION', `dir ${dir} is not a folder`);
  const port = options.port ?? DEFAULT_PREVIEW_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new PreviewError('INVALID_OPTION', `port must be a port number from 0 to 65535, got ${String(options.port)}`);
  const width = options.width ?? DEFAULT_WIDTH;
  if (!Number.isInteger(width) || width < 240 || width > 1280)
    throw new PreviewError(
      'INVALID_OPTION',
      `width must be a whole number of pixels from 240 to 1280, got ${String(options.width)}`,
    );
  if (options.sandboxUrl !== undefined && !/^https?:\/\/[^/]+/.test(options.sandboxUrl))
    throw new PreviewError('INVALID_OPTION', `sandboxUrl must be an http(s) URL, got ${options.sandboxUrl}`);
  return {
    dir,
    port,
    width,
    host: options.host ?? '127.0.0.1',
    watch: options.watch ?? true,
    ...(options.sandboxUrl ? { sandboxUrl: options.sandboxUrl.replace(/\/+$/, '') } : {}),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body over 10 MiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

/** Starts the preview server. Rejects with a PreviewError for bad options, a folder without app.json or a port in use. */
export async function startPreview(options: PreviewOptions): Promise<RunningPreview> {
  const settings = checkOptions(options);
  const assets = browserAssets();
  // Fail now, not in the browser, when the folder is not a mini program.
  compileApp({ dir: settings.dir, width: settings.width });
  const storageKey = createHash('sha256').update(settings.dir).digest('hex').slice(0, 12);
  const root = realpathSync(settings.dir);
  const listeners = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, { error: { code: 'PREVIEW_ERROR', message: (error as Error).message } });
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://preview');
    const path = url.pathname;
    if (request.method === 'GET' && path === '/') return send(response, 200, 'text/html; charset=utf-8', PAGE);
    if (request.method === 'GET' && (path === '/__preview/view.js' || path === '/__preview/worker.js')) {
      return send(
        response,
        200,
        'text/javascript; charset=utf-8',
        readFileSync(join(assets, path.slice('/__preview/'.length))),
      );
    }
    if (request.method === 'GET' && path === '/__preview/app') {
      try {
        const bundle = compileApp({
          dir: settings.dir,
          width: settings.width,
          ...(settings.sandboxUrl ? { sandboxUrl: settings.sandboxUrl } : {}),
        });
        return sendJson(response, 200, { ...bundle, storageKey });
      } catch (error) {
        return sendJson(response, 200, {
          appJson: { pages: [] },
          width: settings.width,
          pages: {},
          components: {},
          templates: {},
          sjs: {},
          scripts: {},
          storageKey,
          problems: [{ code: 'NOT_A_MINI_PROGRAM', message: (error as Error).message }],
        });
      }
    }
    if (request.method === 'GET' && path === '/__preview/events') {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(': minipay preview live reload\n\n');
      listeners.add(response);
      request.on('close', () => listeners.delete(response));
      return;
    }
    if (request.method === 'POST' && path === '/__preview/request') {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(request));
      } catch (error) {
        return sendJson(response, 400, {
          ok: false,
          error: 2,
          errorMessage: `the request to proxy is not JSON: ${(error as Error).message}`,
        });
      }
      const checked = checkRequest(body);
      if (typeof checked === 'string')
        return sendJson(response, 200, { ok: false, error: 2, errorMessage: `my.request: ${checked}` });
      return sendJson(response, 200, await proxyRequest(checked));
    }
    if (request.method === 'POST' && path === '/__preview/auth-code') {
      await readBody(request);
      if (!settings.sandboxUrl) {
        return sendJson(response, 200, {
          ok: false,
          error: 11,
          errorMessage:
            'my.getAuthCode: the preview was started without --sandbox-url, so there is no wallet to give an auth code',
        });
      }
      const answer = await proxyRequest({
        url: `${settings.sandboxUrl}/sandbox/auth-codes`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        timeoutMs: 10_000,
      });
      if (!answer.ok)
        return sendJson(response, 200, {
          ok: false,
          error: answer.error,
          errorMessage: `my.getAuthCode: the wallet sandbox at ${settings.sandboxUrl}: ${answer.errorMessage}`,
        });
      try {
        const code = JSON.parse(answer.body) as { authCode?: unknown };
        if (answer.status === 200 && typeof code.authCode === 'string')
          return sendJson(response, 200, { ok: true, authCode: code.authCode });
      } catch {
        // falls through
      }
      return sendJson(response, 200, {
        ok: false,
        error: 3,
        errorMessage: `my.getAuthCode: the wallet sandbox answered HTTP ${answer.status}`,
      });
    }
    if (request.method === 'GET' && path.startsWith('/__app/')) {
      let relativePath: string;
      try {
        relativePath = decodeURIComponent(path.slice('/__app/'.length));
      } catch {
        return send(response, 400, 'text/plain; charset=utf-8', 'bad path');
      }
      const file = resolve(root, relativePath);
      if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile())
        return send(response, 404, 'text/plain; charset=utf-8', 'not a file of the mini program');
      return send(
        response,
        200,
        CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        readFileSync(file),
      );
    }
    return send(response, 404, 'text/plain; charset=utf-8', 'not found');
  }

  const stopWatching = settings.watch
    ? watchFolder(settings.dir, () => {
        for (const listener of listeners) listener.write('event: reload\ndata: {}\n\n');
      })
    : () => undefined;
  const heartbeat = setInterval(() => {
    for (const listener of listeners) listener.write(': still here\n\n');
  }, 15_000);
  heartbeat.unref();

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      stopWatching();
      clearInterval(heartbeat);
      reject(
        error.code === 'EADDRINUSE'
          ? new PreviewError(
              'PORT_IN_USE',
              `port ${settings.port} on ${settings.host} is in use (another preview?): pick another with --port <port>`,
              { cause: error },
            )
          : error,
      );
    });
    server.listen(settings.port, settings.host, () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = settings.host === '0.0.0.0' || settings.host === '::' ? lanAddress() : settings.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    dir: settings.dir,
    close: async () => {
      stopWatching();
      clearInterval(heartbeat);
      for (const listener of listeners) listener.end();
      listeners.clear();
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
    },
  };
}

/** The address a phone on the LAN reaches this machine at, for the printed URL. */
function lanAddress(): string {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return '127.0.0.1';
}
