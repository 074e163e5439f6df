import { requestPath } from '@minipay/openapi';

describe('requestPath: the path a request signature covers, from the request target', () => {
  it.each([
    ['origin form, as is', '/api/open/v2/payments/pay', '/api/open/v2/payments/pay'],
    ['origin form with a query, as is', '/api/open/v2/payments/pay?trace=1', '/api/open/v2/payments/pay?trace=1'],
    [
      'absolute form (the Python SDK, a forward proxy)',
      'http://127.0.0.1:8210/api/open/v2/payments/pay',
      '/api/open/v2/payments/pay',
    ],
    [
      'absolute form over https with a query',
      'https://open.wallet.example/api/open/v2/payments/pay?trace=1',
      '/api/open/v2/payments/pay?trace=1',
    ],
    ['absolute form with user info and an IPv6 host', 'http://u:p@[::1]:8210/notify/payment', '/notify/payment'],
    ['absolute form without a path', 'http://127.0.0.1:8210', '/'],
    ['absolute form with only a query', 'http://127.0.0.1:8210?x=1', '/?x=1'],
    ['absolute form with a fragment, which is never sent', 'http://h/p#frag', '/p'],
    ['the asterisk form of OPTIONS', '*', '*'],
  ])('%s: %s → %s', (_name, target, path) => {
    expect(requestPath(target)).toBe(path);
  });
});
