// Body validation for the wallet's OpenAPIs (docs/PROTOCOL.md §5). The first problem wins and its message names the
// field by its path (`order.orderAmount.value`), which the sandbox answers as F PARAM_ILLEGAL.
import {
  parseIsoTime,
  type ApplyTokenRequest,
  type InquiryPaymentRequest,
  type PayRequest,
  type RefundRequest,
} from '@minipay/openapi';
import { isIsoCurrency } from '@minipay/contract';

export class InvalidField extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function object(value: unknown, field: string, required: boolean): Json | undefined {
  if (value === undefined || value === null) {
    if (required) throw new InvalidField(field, `${field} is required`);
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidField(field, `${field} must be an object`);
  return value as Json;
}

function string(value: unknown, field: string, options: { required?: boolean; max: number }): string | undefined {
  if (value === undefined || value === null) {
    if (options.required) throw new InvalidField(field, `${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new InvalidField(field, `${field} must be a string, got ${shown(value)}`);
  if (options.required && value.trim() === '') throw new InvalidField(field, `${field} must not be empty`);
  if (value.length > options.max) {
    throw new InvalidField(field, `${field} must be at most ${options.max} characters, got ${value.length}`);
  }
  return value;
}

function amount(value: unknown, field: string, required: boolean): void {
  const money = object(value, field, required);
  if (!money) return;
  const currency = money.currency;
  if (currency === undefined || currency === null)
    throw new InvalidField(`${field}.currency`, `${field}.currency is required`);
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw new InvalidField(
      `${field}.currency`,
      `${field}.currency must be an ISO 4217 code of three uppercase letters (e.g. "USD"), got ${shown(currency)}`,
    );
  }
  if (!isIsoCurrency(currency)) {
    throw new InvalidField(
      `${field}.currency`,
      `${field}.currency must be an ISO 4217 currency, and ${shown(currency)} is none`,
    );
  }
  const amountValue = money.value;
  if (amountValue === undefined || amountValue === null)
    throw new InvalidField(`${field}.value`, `${field}.value is required`);
  if (typeof amountValue !== 'string' || !/^\d{1,18}$/.test(amountValue)) {
    throw new InvalidField(
      `${field}.value`,
      `${field}.value must be a string of digits in minor units (e.g. "10000" for 100.00 USD), got ${shown(amountValue)}`,
    );
  }
  if (/^0+$/.test(amountValue)) throw new InvalidField(`${field}.value`, `${field}.value must be greater than 0`);
  // "007" is 7, but the notification echoes the value as given, and a merchant comparing it with its own "7"
  // (as it must, string to string) would see a mismatch: only the canonical form is accepted.
  if (amountValue.startsWith('0')) {
    throw new InvalidField(
      `${field}.value`,
      `${field}.value must not have leading zeros (write "7", not "007"), got ${shown(amountValue)}`,
    );
  }
}

function time(value: unknown, field: string): number | undefined {
  const text = string(value, field, { max: 64 });
  if (text === undefined) return undefined;
  // The one parser of the kit: a date that is not on the calendar (30 February, hour 24) is refused, not rolled over.
  const ms = parseIsoTime(text);
  if (ms === undefined) {
    throw new InvalidField(
      field,
      `${field} must be a real time in ISO 8601 with an offset (e.g. 2019-04-04T12:08:56.253+05:30), got ${shown(text)}`,
    );
  }
  return ms;
}

function httpUrl(value: unknown, field: string, max: number): void {
  const text = string(value, field, { max });
  if (text === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidField(field, `${field} must be an absolute http(s) URL, got ${shown(text)}`);
  }
}

function root(body: unknown): Json {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidField('body', 'the body must be a JSON object');
  }
  return body as Json;
}

/** `pay`; `nowMs` is the wallet's clock, for a `paymentExpiryTime` already in the past. */
export function validatePay(body: unknown, nowMs: number): PayRequest {
  const pay = root(body);
  string(pay.appId, 'appId', { max: 64 });
  string(pay.paymentRequestId, 'paymentRequestId', { required: true, max: 64 });
  amount(pay.paymentAmount, 'paymentAmount', true);
  const order = object(pay.order, 'order', true) as Json;
  string(order.referenceOrderId, 'order.referenceOrderId', { required: true, max: 64 });
  string(order.orderDescription, 'order.orderDescription', { required: true, max: 256 });
  amount(order.orderAmount, 'order.orderAmount', true);
  time(order.orderCreateTime, 'order.orderCreateTime');
  const merchant = object(order.merchant, 'order.merchant', false);
  if (merchant) {
    string(merchant.referenceMerchantId, 'order.merchant.referenceMerchantId', { max: 64 });
    string(merchant.merchantName, 'order.merchant.merchantName', { max: 256 });
    string(merchant.merchantMCC, 'order.merchant.merchantMCC', { max: 32 });
    string(merchant.merchantDisplayName, 'order.merchant.merchantDisplayName', { max: 256 });
  }
  const buyer = object(order.buyer, 'order.buyer', false);
  if (buyer) string(buyer.referenceBuyerId, 'order.buyer.referenceBuyerId', { max: 64 });
  const expiry = time(pay.paymentExpiryTime, 'paymentExpiryTime');
  if (expiry !== undefined && expiry <= nowMs) {
    throw new InvalidField('paymentExpiryTime', 'paymentExpiryTime must be in the future');
  }
  string(pay.paymentRedirectUrl, 'paymentRedirectUrl', { max: 1024 });
  httpUrl(pay.paymentNotifyUrl, 'paymentNotifyUrl', 1024);
  string(pay.extendInfo, 'extendInfo', { max: 4096 });
  string(pay.productCode, 'productCode', { max: 32 });
  object(pay.paymentMethod, 'paymentMethod', false);
  string(pay.customerId, 'customerId', { max: 64 });
  string(pay.referenceBuyerId, 'referenceBuyerId', { max: 64 });
  return pay as unknown as PayRequest;
}

/** `inquiryPayment` and `cancel`: `paymentId` or `paymentRequestId`. */
export function validatePaymentReference(body: unknown): InquiryPaymentRequest {
  const reference = root(body);
  const paymentId = string(reference.paymentId, 'paymentId', { max: 64 });
  const paymentRequestId = string(reference.paymentRequestId, 'paymentRequestId', { max: 64 });
  if (!paymentId && !paymentRequestId) throw new InvalidField('paymentId', 'paymentId or paymentRequestId is required');
  return reference as InquiryPaymentRequest;
}

export function validateRefund(body: unknown): RefundRequest {
  const refund = root(body);
  string(refund.refundRequestId, 'refundRequestId', { required: true, max: 64 });
  validatePaymentReference(refund);
  amount(refund.refundAmount, 'refundAmount', true);
  string(refund.refundReason, 'refundReason', { max: 256 });
  string(refund.extendInfo, 'extendInfo', { max: 4096 });
  return refund as unknown as RefundRequest;
}

export function validateApplyToken(body: unknown): ApplyTokenRequest {
  const request = root(body);
  string(request.appId, 'appId', { max: 64 });
  string(request.authClientId, 'authClientId', { max: 64 });
  string(request.customerBelongsTo, 'customerBelongsTo', { max: 64 });
  const grantType = request.grantType;
  if (grantType === undefined || grantType === null) throw new InvalidField('grantType', 'grantType is required');
  if (grantType !== 'AUTHORIZATION_CODE' && grantType !== 'REFRESH_TOKEN') {
    throw new InvalidField(
      'grantType',
      `grantType must be AUTHORIZATION_CODE or REFRESH_TOKEN, got ${shown(grantType)}`,
    );
  }
  string(request.authCode, 'authCode', { required: grantType === 'AUTHORIZATION_CODE', max: 256 });
  string(request.refreshToken, 'refreshToken', { required: grantType === 'REFRESH_TOKEN', max: 256 });
  return request as unknown as ApplyTokenRequest;
}
