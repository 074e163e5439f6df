import { checkSessionToken, createSessionToken } from '../src/session';
import { bearerToken } from '../src/session';

const SECRET = 'a-test-session-secret-of-enough-length';
const claims = { customerId: 'CUST_1', issuedAt: 1_000, expiresAt: 61_000 };

describe('session tokens', () => {
  test('a fresh token is valid and carries the customer', () => {
    const token = createSessionToken(claims, SECRET);
    expect(checkSessionToken(token, SECRET, 2_000)).toEqual({ status: 'valid', claims });
  });

  test('a token past its expiry is expired (not invalid)', () => {
    const token = createSessionToken(claims, SECRET);
    expect(checkSessionToken(token, SECRET, 61_000).status).toBe('expired');
  });

  test('a token signed with another secret is invalid', () => {
    const token = createSessionToken(claims, 'another-secret-another-secret-another');
    expect(checkSessionToken(token, SECRET, 2_000).status).toBe('invalid');
  });

  test('a token whose payload was changed (another customer, later expiry) is invalid', () => {
    const token = createSessionToken(claims, SECRET);
    const [, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ v: 'v1', sub: 'CUST_2', iat: 1_000, exp: 9e15 })).toString('base64url');
    expect(checkSessionToken(`${forged}.${mac}`, SECRET, 2_000).status).toBe('invalid');
  });

  test('a forged token that claims to be expired is invalid, not expired', () => {
    const forged = Buffer.from(JSON.stringify({ v: 'v1', sub: 'CUST_2', iat: 1, exp: 2 })).toString('base64url');
    expect(checkSessionToken(`${forged}.AAAA`, SECRET, 2_000).status).toBe('invalid');
  });

  test.each(['', 'abc', 'a.b.c', '.', 'eyJ9.', `${'x'.repeat(10)}.${'y'.repeat(43)}`])(
    'malformed token %j is invalid',
    (token) => {
      expect(checkSessionToken(token, SECRET, 2_000).status).toBe('invalid');
    },
  );

  test.each([
    ['Bearer abc.def', 'abc.def'],
    ['bearer abc.def', 'abc.def'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    [undefined, undefined],
  ])('bearerToken(%j) is %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
