// The pure parts (amounts are @minipay/contract's and tested there): fault parsing, the retry schedule, the idempotency hash.
import { DEFAULT_RETRY_SCHEDULE, OUTCOMES } from '../src';
import { activeFaults, effectiveFaults, parseFaults } from '../src/faults';
import { idempotencyHash } from '../src/internal/payments';
import { delayBeforeAttempt } from '../src/retry-schedule';
import { escapeHtml } from '../src/internal/html';
import { payRequest } from './helpers';

test('the outcomes are the six of PROTOCOL §7 in order, with their result codes', () => {
  expect(OUTCOMES.map((o) => [o.outcome, o.resultCode, o.paymentStatus])).toEqual([
    ['pay', '9000', 'SUCCESS'],
    ['processing', '8000', 'SUCCESS'],
    ['fail', '4000', 'FAIL'],
    ['cancel', '6001', 'CANCELLED'],
    ['network-error', '6002', 'SUCCESS'],
    ['unknown', '6004', 'SUCCESS'],
  ]);
});

describe('faults', () => {
  test.each([
    [
      { delaySeconds: 2.5, duplicate: 3, dropFirst: 2, neverSend: true, badSignature: false },
      { delaySeconds: 2.5, duplicate: 3, dropFirst: 2, neverSend: true, badSignature: false },
    ],
    [
      { delaySeconds: '1', duplicate: '2', neverSend: 'on', sendBeforeCashier: 'false' },
      { delaySeconds: 1, duplicate: 2, neverSend: true, sendBeforeCashier: false },
    ],
    [{ delaySeconds: '', paymentId: 'p' }, {}],
  ])('parseFaults(%j) → %j', (input, expected) => {
    expect(parseFaults(input)).toEqual(expected);
  });

  test.each([
    [{ duplicate: 1.5 }, 'duplicate must be an integer from 1 to 1000'],
    [{ dropFirst: 'many' }, 'dropFirst must be an integer from 0 to 1000'],
    [{ delaySeconds: -1 }, 'delaySeconds must be a number of seconds from 0 to 86400'],
    [{ badSignature: 1 }, 'badSignature must be true or false'],
    [{ slow: true }, 'unknown fault "slow"'],
  ])('parseFaults(%j) throws %s', (input, message) => {
    expect(() => parseFaults(input)).toThrow(message);
  });

  test("a payment's own faults win over the global ones; activeFaults drops the no-op fields", () => {
    const merged = effectiveFaults({ duplicate: 3, neverSend: true }, { neverSend: false, dropFirst: 1 });
    expect(merged).toEqual({ duplicate: 3, neverSend: false, dropFirst: 1 });
    expect(activeFaults({ ...merged, duplicate: 1, delaySeconds: 0 })).toEqual({ dropFirst: 1 });
  });
});

test('the default retry schedule: immediately, then 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then stop (7 attempts)', () => {
  expect(DEFAULT_RETRY_SCHEDULE).toEqual([5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000]);
  const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => delayBeforeAttempt(DEFAULT_RETRY_SCHEDULE, attempt));
  expect(delays).toEqual([0, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, undefined]);
});

test('the idempotency hash ignores key order, paymentExpiryTime and order.orderCreateTime, and nothing else', () => {
  const request = payRequest({ paymentExpiryTime: '2030-01-01T00:00:00+00:00' });
  const same = JSON.parse(
    JSON.stringify({
      ...request,
      paymentExpiryTime: '2031-01-01T00:00:00+08:00',
      order: { ...request.order, orderCreateTime: '2020-01-01T00:00:00Z' },
    }),
  );
  expect(idempotencyHash(same)).toBe(idempotencyHash(request));
  expect(idempotencyHash({ ...request, extendInfo: 'x' })).not.toBe(idempotencyHash(request));
  expect(idempotencyHash({ ...request, order: { ...request.order, orderDescription: 'Tea' } })).not.toBe(
    idempotencyHash(request),
  );
});

test('escapeHtml escapes the five HTML-significant characters', () => {
  expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
    '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
  );
});
