// Shared test material: the committed test keys (generated once with openssl) and, below, a fake wallet.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { signedResponse, verifyRequest, type OpenApiError, type Result } from '@minipay/openapi';

/** The text of a committed test fixture. */
export function fixture(name: string): string {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8');
}

export const keys = {
  merchantRsaPrivate: fixture('test-merchant-rsa-private.pem'),
  merchantRsaPublic: fixture('test-merchant-rsa-public.pem'),
  walletRsaPrivate: fixture('test-wallet-rsa-private.pem'),
  walletRsaPublic: fixture('test-wallet-rsa-public.pem'),
  merchantEccPrivate: fixture('test-merchant-ecc224-private.pem'),
  merchantEccPrivateSec1: fixture('test-merchant-ecc224-private-sec1.pem'),
  merchantEccPublic: fixture('test-merchant-ecc224-public.pem'),
  otherEcP256Private: fixture('test-other-ec-p256-private.pem'),
};

/** What `fn` throws; fails the test when it returns instead. */
export function caught(fn: () => unknown): OpenApiError {
  try {
    fn();
  } catch (error) {
    return error as OpenApiError;
  }
  throw new Error('expected an error');
}

/** The Base64 of a PEM file's key block, to prove messages never echo key material. */
export function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

/** What the fake wallet saw: one entry per HTTP request. */
export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: Record<string, unknown>;
  /** Whether the request's signature verified with the merchant's public key. */
  signatureValid: boolean;
}

/** How the fake wallet answers one request. */
export type Reply =
  /** A signed answer with this result (and extra body fields). */
  | {
      result: Result;
      fields?: Record<string, unknown>;
      tamper?: boolean;
      unsigned?: boolean;
      signWith?: string;
      clientId?: string;
    }
  /** A raw answer, as a proxy would give it. */
  | { raw: string; status?: number; contentType?: string }
  /** Never answer (the client must time out). */
  | { hang: true }
  /** Drop the connection without an answer (a transport failure). */
  | { destroy: true };

export interface FakeWallet {
  url: string;
  clientId: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) that plays the wallet: it checks each request's signature with the
 * merchant's public key and answers what `script` says, signed with the test wallet key.
 */
export async function startFakeWallet(
  script: (request: SeenRequest, attempt: number) => Reply,
  options: { clientId?: string; merchantPublicKey?: string; walletPrivateKey?: string } = {},
): Promise<FakeWallet> {
  const clientId = options.clientId ?? 'TEST_CLIENT';
  const merchantPublicKey = options.merchantPublicKey ?? keys.merchantRsaPublic;
  const walletPrivateKey = options.walletPrivateKey ?? keys.walletRsaPrivate;
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      let signatureValid = true;
      try {
        verifyRequest({
          headers: req.headers,
          rawBody,
          publicKey: merchantPublicKey,
          path,
          method: req.method ?? 'POST',
        });
      } catch {
        signatureValid = false;
      }
      const request: SeenRequest = {
        path,
        headers: req.headers,
        rawBody,
        body: JSON.parse(rawBody || '{}'),
        signatureValid,
      };
      seen.push(request);
      const reply = script(request, seen.length);
      if ('hang' in reply) return;
      if ('destroy' in reply) {
        req.socket.destroy();
        return;
      }
      if ('raw' in reply) {
        res.writeHead(reply.status ?? 200, { 'Content-Type': reply.contentType ?? 'text/html' });
        res.end(reply.raw);
        return;
      }
      const signed = signedResponse({
        body: { result: reply.result, ...reply.fields },
        clientId: reply.clientId ?? String(req.headers['client-id'] ?? clientId),
        privateKey: reply.signWith ?? walletPrivateKey,
        path,
      });
      const headers: Record<string, string> = { ...signed.headers };
      if (reply.unsigned) {
        delete headers.signature;
        delete headers['response-time'];
      }
      res.writeHead(200, headers);
      res.end(reply.tamper ? signed.body.replace('"resultStatus":"', '"resultStatus":"S","x":"') : signed.body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clientId,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
