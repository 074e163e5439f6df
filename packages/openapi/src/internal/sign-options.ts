// What `sign` gets for a request or a response once its time and body are settled: one home for the mapping, so that
// the request and the response sign exactly the same fields.
import type { Algorithm, KeyInput } from '../keys';
import type { SignOptions } from '../sign';
import type { RawBody } from './raw-body';

export interface SignerOptions {
  method?: string;
  path: string;
  clientId: string;
  privateKey: KeyInput;
  algorithm?: Algorithm;
  keyVersion?: number | string;
}

/** The method defaults to `POST`; `algorithm` and `keyVersion` are passed only when given (sign's defaults apply). */
export function signOptionsFor(options: SignerOptions, time: string, body: RawBody): SignOptions {
  return {
    method: options.method ?? 'POST',
    path: options.path,
    clientId: options.clientId,
    time,
    body,
    privateKey: options.privateKey,
    ...(options.algorithm === undefined ? {} : { algorithm: options.algorithm }),
    ...(options.keyVersion === undefined ? {} : { keyVersion: options.keyVersion }),
  };
}
