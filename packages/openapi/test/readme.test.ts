// The README's notification handlers, as written there, against a notification signed like the wallet signs it.
// If the README's Fastify, node:http or Express example stops working with the real API, this fails.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import {
  OpenApiError,
  SignatureError,
  signRequest,
  signedResponse,
  verifyNotification,
  verifyResponse,
  type NotifyPaymentRequest,
} from '@minipay/openapi';
import { keys } from './helpers';

const clientId = 'TEST_CLIENT';
const merchantPrivateKey = keys.merchantRsaPrivate;
const walletPublicKey = keys.walletRsaPublic;
const recorded: NotifyPaymentRequest[] = [];
async function recordPaymentResult(notification: NotifyPaymentRequest): Promise<void> {
  recorded.push(notification);
}

const notification = JSON.stringify({
  paymentId: 'p-1',
  paymentRequestId: 'order-42-1',
  paymentResult: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
  paymentAmount: { currency: 'USD', value: '1250' },
});

function fastifyApp() {
  const app = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post('/payments/notify', async (request, reply) => {
    try {
      const verified = verifyNotification({
        headers: request.headers,
        rawBody: request.body as string,
        publicKey: walletPublicKey,
        path: request.url,
      });
      await recordPaymentResult(verified);
    } catch (error) {
      if (error instanceof OpenApiError) {
        return reply.code(error instanceof SignatureError ? 401 : 400).send({ error: error.code });
      }
      throw error;
    }
    const ack = signedResponse({ clientId, privateKey: merchantPrivateKey, path: request.url });
    return reply.code(200).headers(ack.headers).send(ack.body);
  });
  return app;
}

function nodeHttpServer(): Server {
  return createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/payments/notify') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      try {
        const verified = verifyNotification({
          headers: req.headers,
          rawBody: Buffer.concat(chunks).toString('utf8'),
          publicKey: walletPublicKey,
          path: req.url!,
        });
        await recordPaymentResult(verified);
        const ack = signedResponse({ clientId, privateKey: merchantPrivateKey, path: req.url! });
        res.writeHead(200, ack.headers).end(ack.body);
      } catch (error) {
        const status = error instanceof SignatureError ? 401 : error instanceof OpenApiError ? 400 : 500;
        const code = error instanceof OpenApiError ? error.code : 'INTERNAL';
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: code }));
      }
    });
  });
}

/** The README's Express handler; `parseJsonFirst` adds the express.json() it warns against, before the route. */
function expressApp(parseJsonFirst = false) {
  const app = express();
  if (parseJsonFirst) app.use(express.json());
  app.post('/payments/notify', express.text({ type: '*/*', limit: '64kb' }), async (req, res) => {
    try {
      const verified = verifyNotification({
        headers: req.headers,
        rawBody: req.body as string,
        publicKey: walletPublicKey,
        path: req.originalUrl,
      });
      await recordPaymentResult(verified);
      const ack = signedResponse({ clientId, privateKey: merchantPrivateKey, path: req.originalUrl });
      res.status(200).set(ack.headers).send(ack.body);
    } catch (error) {
      const status = error instanceof SignatureError ? 401 : error instanceof OpenApiError ? 400 : 500;
      res.status(status).json({ error: error instanceof OpenApiError ? error.code : 'INTERNAL' });
    }
  });
  return app;
}

async function listenExpress(app: ReturnType<typeof express>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends a notification as the wallet does and checks the acknowledgement as the wallet does. */
async function notify(baseUrl: string, signingKey = keys.walletRsaPrivate) {
  const path = '/payments/notify';
  const headers = signRequest({ path, clientId, body: notification, privateKey: signingKey });
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: notification });
  const rawBody = await response.text();
  if (response.status !== 200) return { status: response.status, body: JSON.parse(rawBody) as unknown };
  return {
    status: 200,
    body: verifyResponse({ headers: response.headers, rawBody, path, publicKey: keys.merchantRsaPublic }),
  };
}

const signedSuccess = { result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } };

describe('README notification handlers', () => {
  beforeEach(() => {
    recorded.length = 0;
  });

  it('Fastify with the raw-string content type parser verifies, records and acknowledges with a signed SUCCESS', async () => {
    const app = fastifyApp();
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(await notify(url)).toEqual({ status: 200, body: signedSuccess });
      expect(recorded.map((n) => n.paymentRequestId)).toEqual(['order-42-1']);
      expect(await notify(url, keys.merchantRsaPrivate)).toEqual({ status: 401, body: { error: 'INVALID_SIGNATURE' } });
      expect(recorded).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('node:http verifies, records and acknowledges with a signed SUCCESS', async () => {
    const server = nodeHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await notify(url)).toEqual({ status: 200, body: signedSuccess });
      expect(await notify(url, keys.merchantRsaPrivate)).toEqual({ status: 401, body: { error: 'INVALID_SIGNATURE' } });
      expect(recorded).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('Express with express.text verifies, records and acknowledges with a signed SUCCESS', async () => {
    const { url, close } = await listenExpress(expressApp());
    try {
      expect(await notify(url)).toEqual({ status: 200, body: signedSuccess });
      expect(await notify(url, keys.merchantRsaPrivate)).toEqual({ status: 401, body: { error: 'INVALID_SIGNATURE' } });
      expect(recorded).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('Express with express.json() before the route gets BODY_NOT_RAW (the mistake the README warns about)', async () => {
    const { url, close } = await listenExpress(expressApp(true));
    try {
      expect(await notify(url)).toEqual({ status: 400, body: { error: 'BODY_NOT_RAW' } });
      expect(recorded).toHaveLength(0);
    } finally {
      await close();
    }
  });

  it('Fastify without the raw-string parser gets BODY_NOT_RAW (the mistake the README warns about)', async () => {
    const app = Fastify();
    app.post('/payments/notify', async (request, reply) => {
      try {
        verifyNotification({
          headers: request.headers,
          rawBody: request.body as string,
          publicKey: walletPublicKey,
          path: request.url,
        });
        return reply.send({});
      } catch (error) {
        return reply.code(400).send({ error: (error as OpenApiError).code });
      }
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(await notify(url)).toEqual({ status: 400, body: { error: 'BODY_NOT_RAW' } });
    } finally {
      await app.close();
    }
  });
});
