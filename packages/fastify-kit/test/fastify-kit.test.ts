import Fastify from 'fastify';
import { frameworkErrorAnswer, keepRawBodies } from '@minipay/fastify-kit';

test('keepRawBodies hands a route the bytes that travelled, whatever the content type (real HTTP)', async () => {
  const app = Fastify();
  app.register(async (scope) => {
    keepRawBodies(scope);
    scope.post('/raw', async (request) => ({
      isBuffer: Buffer.isBuffer(request.body),
      body: (request.body as Buffer).toString('latin1'),
    }));
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    for (const type of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
      const answer = await fetch(`${url}/raw`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: '{ "a" : 1 }',
      });
      expect(await answer.json()).toEqual({ isBuffer: true, body: '{ "a" : 1 }' });
    }
    // A byte that is not valid UTF-8 reaches the route as itself, not as U+FFFD.
    const invalid = await fetch(`${url}/raw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0xff, 0x7d]),
    });
    expect(await invalid.json()).toEqual({ isBuffer: true, body: '{\u00ff}' });
  } finally {
    await app.close();
  }
});

test.each([
  [{ code: 'FST_ERR_MAX_PARAM_LENGTH' }, 414, 'URI_TOO_LONG'],
  [{ code: 'FST_ERR_BAD_URL' }, 400, 'INVALID_URL'],
  [{}, 400, 'INVALID_URL'],
])('frameworkErrorAnswer(%j) is %i %s', (error, status, code) => {
  expect(frameworkErrorAnswer(error)).toMatchObject({ status, code });
});
