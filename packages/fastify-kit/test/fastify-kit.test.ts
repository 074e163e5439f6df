import Fastify from 'fastify';
import { frameworkErrorAnswer, keepRawBodies } from '@minipay/fastify-kit';

test('keepRawBodies hands a route the bytes that travelled, whatever the content type (real HTTP)', async () => {
  const app = Fastify();
  app.register(async (scope) => {
    keepRawBodies(scope);
    scope.post('/raw', async (request) => ({ body: request.body }));
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    for (const type of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
      const answer = await fetch(`${url}/raw`, { method: 'POST', headers: { 'content-type': type }, body: '{ "a" : 1 }' });
      expect(await answer.json()).toEqual({ body: '{ "a" : 1 }' });
    }
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
