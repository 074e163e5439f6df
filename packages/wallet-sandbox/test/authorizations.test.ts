// applyToken with sandbox auth codes (POST /sandbox/auth-codes), and the REFRESH_TOKEN grant.
import { call, json, startTestSandbox, type TestSandbox } from './helpers';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const exchange = (authCode: string) =>
  call(t, '/v2/authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', authCode, appId: 'app' });

test('an auth code is exchanged once for tokens and the customer id it was issued for', async () => {
  const issued = await json(t, 'POST', '/sandbox/auth-codes', {});
  expect(issued.status).toBe(200);
  expect(issued.body).toEqual({ authCode: expect.any(String), customerId: expect.any(String) });
  const answer = await exchange(issued.body.authCode);
  expect(answer.body).toMatchObject({
    result: { resultStatus: 'S', resultCode: 'SUCCESS' },
    customerId: issued.body.customerId,
    accessToken: expect.any(String),
    refreshToken: expect.any(String),
  });
  expect(Date.parse(answer.body.accessTokenExpiryTime)).toBeGreaterThan(Date.now());
  expect(Date.parse(answer.body.refreshTokenExpiryTime)).toBeGreaterThan(Date.parse(answer.body.accessTokenExpiryTime));

  const again = await exchange(issued.body.authCode);
  expect(again.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'USED_CODE' });
  expect(again.body.accessToken).toBeUndefined();
});

test('a customer keeps its customerId across codes; a code without one makes a fresh customer', async () => {
  const first = await json(t, 'POST', '/sandbox/auth-codes', { customerId: 'alice' });
  const second = await json(t, 'POST', '/sandbox/auth-codes', { customerId: 'alice' });
  expect((await exchange(first.body.authCode)).body.customerId).toBe('alice');
  expect((await exchange(second.body.authCode)).body.customerId).toBe('alice');
  const fresh1 = await json(t, 'POST', '/sandbox/auth-codes');
  const fresh2 = await json(t, 'POST', '/sandbox/auth-codes');
  expect(fresh1.body.customerId).not.toBe(fresh2.body.customerId);
});

test('an auth code the sandbox never issued gets F INVALID_CODE', async () => {
  expect((await exchange('made-up')).body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CODE' });
});

test('a bad customerId for an auth code is refused with 400', async () => {
  const answer = await json(t, 'POST', '/sandbox/auth-codes', { customerId: 42 });
  expect(answer.status).toBe(400);
  expect(answer.body.error.message).toContain('customerId');
});

test('REFRESH_TOKEN gives a new access token for the same customer; a refresh token works once', async () => {
  const issued = await json(t, 'POST', '/sandbox/auth-codes', { customerId: 'bob' });
  const tokens = (await exchange(issued.body.authCode)).body;
  const refreshed = await call(t, '/v2/authorizations/applyToken', {
    grantType: 'REFRESH_TOKEN',
    refreshToken: tokens.refreshToken,
  });
  expect(refreshed.body).toMatchObject({ result: { resultStatus: 'S' }, customerId: 'bob' });
  expect(refreshed.body.accessToken).not.toBe(tokens.accessToken);
  const reused = await call(t, '/v2/authorizations/applyToken', {
    grantType: 'REFRESH_TOKEN',
    refreshToken: tokens.refreshToken,
  });
  expect(reused.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_REFRESH_TOKEN' });
});

test('an auth code older than 5 minutes gets F EXPIRED_CODE (injected clock)', async () => {
  let clock = new Date();
  const timed = await startTestSandbox({ now: () => clock });
  try {
    const issued = await json(timed, 'POST', '/sandbox/auth-codes', {});
    clock = new Date(clock.getTime() + 5 * 60_000 + 1);
    const answer = await call(
      timed,
      '/v2/authorizations/applyToken',
      { grantType: 'AUTHORIZATION_CODE', authCode: issued.body.authCode },
      { now: clock },
    );
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'EXPIRED_CODE' });
  } finally {
    await timed.close();
  }
});
