import {
  DEFAULT_MERCHANT_PORT,
  DEFAULT_MERCHANT_URL,
  DEFAULT_PREVIEW_PORT,
  DEFAULT_PREVIEW_URL,
  DEFAULT_SANDBOX_PORT,
  DEFAULT_SANDBOX_URL,
  parsePort,
} from '../src';

test('the local stack listens on 8200 (merchant), 8210 (sandbox) and 8220 (preview) of 127.0.0.1', () => {
  expect([DEFAULT_MERCHANT_PORT, DEFAULT_SANDBOX_PORT, DEFAULT_PREVIEW_PORT]).toEqual([8200, 8210, 8220]);
  expect([DEFAULT_MERCHANT_URL, DEFAULT_SANDBOX_URL, DEFAULT_PREVIEW_URL]).toEqual([
    'http://127.0.0.1:8200',
    'http://127.0.0.1:8210',
    'http://127.0.0.1:8220',
  ]);
});

describe('parsePort', () => {
  test.each([
    ['0', 0],
    ['1', 1],
    ['8200', 8200],
    ['65535', 65535],
    [' 8210 ', 8210],
  ])('%j → %i', (text, port) => {
    expect(parsePort(text, 'MINIPAY_MERCHANT_PORT')).toBe(port);
  });

  test.each(['65536', '-1', '80.5', 'eighty', '', '0x50', '1e3', '999999'])(
    'refuses %j, naming where it came from',
    (text) => {
      expect(() => parsePort(text, '--port')).toThrow(
        expect.objectContaining({
          name: 'ContractError',
          code: 'INVALID_PORT',
          message: `--port must be a port number from 0 to 65535 (0 = any free port), got ${JSON.stringify(text)}`,
        }),
      );
    },
  );
});
