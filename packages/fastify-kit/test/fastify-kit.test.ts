import Fastify from 'fastify';
import {
  assertJsonNesting,
  frameworkErrorAnswer,
  jsonNestingDepth,
  JsonNestingError,
  keepRawBodies,
  MAX_JSON_NESTING,
} from '@minipay/fastify-kit';

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

describe('jsonNestingDepth / assertJsonNesting', () => {
  test.each([
    ['{}', 1],
    ['[]', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['"[[[["', 0],
    ['{"a":"\\"[[[["}', 1],
    ['{"a":"\\\\"}', 1],
    ['12', 0],
  ])('%s nests %i deep (brackets inside strings do not count)', (text, depth) => {
    expect(jsonNestingDepth(text)).toBe(depth);
    expect(jsonNestingDepth(Buffer.from(text))).toBe(depth);
  });

  test('the limit is MAX_JSON_NESTING levels: that many pass, one more is a JsonNestingError (400 JSON_TOO_DEEP)', () => {
    const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
    expect(() => assertJsonNesting(nested(MAX_JSON_NESTING))).not.toThrow();
    let thrown: unknown;
    try {
      assertJsonNesting(nested(MAX_JSON_NESTING + 1));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JsonNestingError);
    expect(thrown).toMatchObject({
      code: 'JSON_TOO_DEEP',
      statusCode: 400,
      message: expect.stringContaining(`${MAX_JSON_NESTING} levels`),
    });
  });

  test('counting stops at the limit: a 1 MiB body of brackets is refused without walking it all', () => {
    const huge = '['.repeat(1024 * 1024);
    expect(jsonNestingDepth(huge, MAX_JSON_NESTING)).toBe(MAX_JSON_NESTING + 1);
  });

  test('keepRawBodies refuses a body nested too deep before the route sees it', async () => {
    const app = Fastify();
    let reached = false;
    app.register(async (scope) => {
      keepRawBodies(scope);
      scope.post('/raw', async () => {
        reached = true;
        return {};
      });
    });
    app.setErrorHandler((error, _request, reply) =>
      reply.status(400).send({ code: (error as { code?: string }).code }),
    );
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const answer = await fetch(`${url}/raw`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '['.repeat(5000),
      });
      expect(answer.status).toBe(400);
      expect(reached).toBe(false);
    } finally {
      await app.close();
    }
  });
});
