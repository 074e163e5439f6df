import { TradePayError } from '../src';

describe('TradePayError', () => {
  it('is an Error with a literal name, a stable code, the message and the cause', () => {
    const cause = new Error('underlying');
    const error = new TradePayError('confirmPayment: aborted', { code: 'ABORTED', cause: cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(TradePayError);
    expect(error.name).toBe('TradePayError');
    expect(error.code).toBe('ABORTED');
    expect(error.message).toBe('confirmPayment: aborted');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('TradePayError: confirmPayment: aborted');
  });

  it('has no cause property when none was given', () => {
    expect('cause' in new TradePayError('busy', { code: 'BUSY' })).toBe(false);
  });
});
