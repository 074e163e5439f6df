import { validationMessage } from '../src/internal/validation-message';

describe('validation messages name the field', () => {
  test.each([
    [
      { instancePath: '/items/0/quantity', keyword: 'maximum', message: 'must be <= 99', params: {} },
      'body',
      'items[0].quantity must be <= 99',
    ],
    [
      {
        instancePath: '/items/2',
        keyword: 'required',
        message: "must have required property 'productId'",
        params: { missingProperty: 'productId' },
      },
      'body',
      'items[2].productId is required',
    ],
    [
      { instancePath: '', keyword: 'required', message: '', params: { missingProperty: 'items' } },
      'body',
      'items is required',
    ],
    [
      { instancePath: '/items', keyword: 'maxItems', message: 'must NOT have more than 20 items', params: {} },
      'body',
      'items must NOT have more than 20 items',
    ],
    [
      { instancePath: '', keyword: 'type', message: 'must be object', params: { type: 'object' } },
      'body',
      'the request body must be an object',
    ],
    [
      { instancePath: '/items/0/quantity', keyword: 'type', message: 'must be integer', params: { type: 'integer' } },
      'body',
      'items[0].quantity must be an integer',
    ],
    [
      { instancePath: '/id', keyword: 'pattern', message: 'must match pattern "^[A-Za-z0-9_-]+$"', params: {} },
      'params',
      'params.id must match pattern "^[A-Za-z0-9_-]+$"',
    ],
  ])('%j in the %s → %s', (error, context, expected) => {
    expect(validationMessage([error], context)).toBe(expected);
  });
});
