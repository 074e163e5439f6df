// The wallet's payments: creation with idempotency, the cashier's outcomes, merchant cancels, expiry and refunds.
// Every transition to a final status calls `onFinal` (which sends the notification). The maps are the working set;
// every change is written through to the state store before it is answered.
import { randomBytes } from 'node:crypto';
import {
  parseIsoTime,
  type Amount,
  type PayRequest,
  type PayResponse,
  type RefundRequest,
  type Result,
} from '@minipay/openapi';
import type { Faults } from '../faults';
import { outcomeDefinition, type Outcome, type SandboxPaymentStatus } from '../outcomes';
import { canonicalHash } from './canonical-hash';
import type { StateStore } from './state-store';

/** Payments that are not paid by `paymentExpiryTime` (default: this long after creation) become CANCELLED. */
export const DEFAULT_EXPIRY_MS = 15 * 60_000;

/** One notification attempt, as the dashboard and `GET /sandbox/payments/:id` show it. */
export interface NotificationAttempt {
  /** 1-based over the payment's whole life (dropped attempts count). */
  attempt: number;
  /** 1-based copy within the attempt when the `duplicate` fault is on. */
  copy: number;
  /** Which round: 1 for the notification after the final status, +1 per resend. */
  round: number;
  /** When the attempt started (wallet clock, ISO 8601). */
  at: string;
  /** `acknowledged` = a valid signed S answer; everything else is retried while the schedule lasts. */
  outcome: 'acknowledged' | 'rejected' | 'error' | 'dropped' | 'suppressed';
  /** The merchant's HTTP status, when an answer came. */
  httpStatus?: number;
  /** The merchant's `result` when the acknowledgement's signature verified. */
  ack?: Result;
  /** Why it was not acknowledged, or what was verified. */
  detail: string;
  /** Sent with a signature that is not the wallet's (the `badSignature` fault). */
  badSignature?: boolean;
  durationMs?: number;
}

export type NotificationState =
  /** The payment has no final status yet. */
  | 'waiting'
  /** The payment has no `paymentNotifyUrl`. */
  | 'no-url'
  | 'scheduled'
  | 'sending'
  | 'delivered'
  /** The retry schedule ran out without an acknowledgement. */
  | 'exhausted'
  /** The `neverSend` fault. */
  | 'suppressed';

export interface RefundRecord {
  refundId: string;
  refundRequestId: string;
  refundAmount: Amount;
  refundReason?: string;
  refundTime: string;
  /** Canonical hash of the refund request, for `REPEAT_REQ_INCONSISTENT`. */
  hash: string;
}

export interface Payment {
  paymentId: string;
  paymentRequestId: string;
  clientId: string;
  request: PayRequest;
  /** Canonical hash of the request without its volatile fields (see `idempotencyHash`). */
  hash: string;
  /** The answer to `pay`, returned again for a repeated identical request. */
  payResponse: PayResponse;
  status: SandboxPaymentStatus;
  /** The cashier outcome, when one was chosen. */
  outcome?: Outcome;
  /** What `my.tradePay` handed back, when an outcome was chosen. */
  resultCode?: string;
  createdAt: Date;
  expiresAt: Date;
  /** When the payment succeeded. */
  paymentTime?: Date;
  /** When it reached its final status. */
  finishedAt?: Date;
  /** What the notification's `paymentResult` says; set with the final status. */
  finalResult?: Result;
  refunds: RefundRecord[];
  faults?: Faults;
  notification: { state: NotificationState; attempts: NotificationAttempt[]; rounds: number; nextAttemptAt?: string };
}

/**
 * What two `pay` requests must share to be "the same request": the whole body, keys sorted, except
 * `paymentExpiryTime` and `order.orderCreateTime`, which a merchant retrying the same payment may
 * legitimately compute again.
 */
export function idempotencyHash(request: PayRequest): string {
  const { paymentExpiryTime: _expiry, ...rest } = request;
  const { orderCreateTime: _created, ...order } = request.order;
  return canonicalHash({ ...rest, order });
}

export type CreateResult =
  | { kind: 'created'; payment: Payment }
  | { kind: 'replayed'; payment: Payment }
  | { kind: 'inconsistent'; payment: Payment };

export type TransitionError =
  { error: 'NOT_FOUND'; message: string } | { error: 'ORDER_STATUS_INVALID'; message: string; payment: Payment };

export type RefundResult =
  | { kind: 'refunded' | 'replayed'; refund: RefundRecord; payment: Payment }
  | { kind: 'error'; resultCode: string; message: string };

export interface PaymentBookOptions {
  now: () => Date;
  /** The cashier URL for a payment id. */
  cashierUrl: (paymentId: string) => string;
  /** Called once per payment, when it reaches a final status. */
  onFinal: (payment: Payment) => void;
  /** Formats a time for the wire (ISO 8601 with offset). */
  formatTime: (date: Date) => string;
  /** Where the payments are kept; the book starts with what it holds. */
  store: StateStore;
}

let sequence = 0;

function newId(prefix: string, now: Date): string {
  sequence += 1;
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `${prefix}${day}${String(sequence).padStart(6, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
}

export class PaymentBook {
  private readonly byId = new Map<string, Payment>();
  private readonly byRequestId = new Map<string, Payment>();
  private readonly refundsByRequestId = new Map<string, { payment: Payment; refund: RefundRecord }>();
  private readonly refundIds = new Set<string>();
  /** The payments still PROCESSING: what `expireDue` looks at before every read (not every payment ever made). */
  private readonly processing = new Set<Payment>();

  constructor(private readonly options: PaymentBookOptions) {
    for (const payment of options.store.loadPayments()) {
      this.byId.set(payment.paymentId, payment);
      this.byRequestId.set(`${payment.clientId}\n${payment.paymentRequestId}`, payment);
      if (payment.status === 'PROCESSING') this.processing.add(payment);
      for (const refund of payment.refunds) {
        this.refundsByRequestId.set(`${payment.clientId}\n${refund.refundRequestId}`, { payment, refund });
        this.refundIds.add(refund.refundId);
      }
    }
  }

  /** Writes the payment's current state through to the store (the notifier and the fault routes change it too). */
  save(payment: Payment): void {
    this.options.store.savePayment(payment);
  }

  /** Creates the payment, or finds the earlier one with the same `paymentRequestId`. */
  create(request: PayRequest, clientId: string): CreateResult {
    this.expireDue();
    const hash = idempotencyHash(request);
    const key = `${clientId}\n${request.paymentRequestId}`;
    const existing = this.byRequestId.get(key);
    if (existing) return { kind: existing.hash === hash ? 'replayed' : 'inconsistent', payment: existing };
    const now = this.options.now();
    // A restarted sandbox counts from 1 again: skip an id an earlier run already gave.
    let paymentId = newId('SBXPAY', now);
    while (this.byId.has(paymentId)) paymentId = newId('SBXPAY', now);
    // Validated already (validate.ts), with the same parser.
    const expiryMs = request.paymentExpiryTime === undefined ? undefined : parseIsoTime(request.paymentExpiryTime);
    const expiresAt = new Date(expiryMs ?? now.getTime() + DEFAULT_EXPIRY_MS);
    const payment: Payment = {
      paymentId,
      paymentRequestId: request.paymentRequestId,
      clientId,
      request,
      hash,
      payResponse: {
        result: { resultStatus: 'A', resultCode: 'ACCEPT', resultMessage: 'accepted' },
        paymentId,
        redirectActionForm: { method: 'GET', redirectionUrl: this.options.cashierUrl(paymentId) },
      },
      status: 'PROCESSING',
      createdAt: now,
      expiresAt,
      refunds: [],
      notification: { state: 'waiting', attempts: [], rounds: 0 },
    };
    this.save(payment);
    this.byId.set(paymentId, payment);
    this.byRequestId.set(key, payment);
    this.processing.add(payment);
    return { kind: 'created', payment };
  }

  get(paymentId: string): Payment | undefined {
    this.expireDue();
    return this.byId.get(paymentId);
  }

  /** `paymentId` wins when both are given (docs/PROTOCOL.md §5.3, §5.4). */
  find(reference: { paymentId?: string; paymentRequestId?: string }, clientId: string): Payment | undefined {
    this.expireDue();
    if (reference.paymentId) {
      const payment = this.byId.get(reference.paymentId);
      return payment && payment.clientId === clientId ? payment : undefined;
    }
    if (reference.paymentRequestId) return this.byRequestId.get(`${clientId}\n${reference.paymentRequestId}`);
    return undefined;
  }

  /** Newest first. */
  list(): Payment[] {
    this.expireDue();
    return [...this.byId.values()].reverse();
  }

  /** The cashier's (or the scripting API's) choice for a payment that is still PROCESSING. */
  complete(paymentId: string, outcome: Outcome): Payment | TransitionError {
    const payment = this.get(paymentId);
    if (!payment) return { error: 'NOT_FOUND', message: `no payment ${paymentId}` };
    if (payment.status !== 'PROCESSING') {
      return {
        error: 'ORDER_STATUS_INVALID',
        message: `payment ${paymentId} is already ${describeFinal(payment)}`,
        payment,
      };
    }
    const definition = outcomeDefinition(outcome);
    payment.outcome = outcome;
    payment.resultCode = definition.resultCode;
    this.finish(payment, definition.paymentStatus, definition.notification);
    return payment;
  }

  /** The merchant's `cancel`: fine while PROCESSING (and again once CANCELLED), refused after a final answer. */
  cancel(payment: Payment): Payment | TransitionError {
    this.expireDue();
    if (payment.status === 'CANCELLED') return payment;
    if (payment.status !== 'PROCESSING') {
      return {
        error: 'ORDER_STATUS_INVALID',
        message: `payment ${payment.paymentId} is already ${describeFinal(payment)}`,
        payment,
      };
    }
    this.finish(payment, 'CANCELLED', {
      resultStatus: 'F',
      resultCode: 'ORDER_IS_CLOSED',
      resultMessage: 'The merchant cancelled the payment.',
    });
    return payment;
  }

  /** Partial and repeated refunds of a SUCCESS payment, their total capped at the paid amount. */
  refund(request: RefundRequest, clientId: string): RefundResult {
    const hash = canonicalHash(request);
    const earlier = this.refundsByRequestId.get(`${clientId}\n${request.refundRequestId}`);
    if (earlier) {
      if (earlier.refund.hash !== hash) {
        return {
          kind: 'error',
          resultCode: 'REPEAT_REQ_INCONSISTENT',
          message: `refundRequestId ${request.refundRequestId} was already used with different content`,
        };
      }
      return { kind: 'replayed', refund: earlier.refund, payment: earlier.payment };
    }
    const payment = this.find(request, clientId);
    if (!payment) return { kind: 'error', resultCode: 'ORDER_NOT_EXIST', message: 'no such payment' };
    if (payment.status !== 'SUCCESS') {
      return {
        kind: 'error',
        resultCode: 'ORDER_STATUS_INVALID',
        message: `only a SUCCESS payment can be refunded; payment ${payment.paymentId} is ${payment.status}`,
      };
    }
    const paid = payment.request.paymentAmount;
    if (request.refundAmount.currency !== paid.currency) {
      return {
        kind: 'error',
        resultCode: 'CURRENCY_NOT_SUPPORT',
        message: `refundAmount.currency must be the payment's currency, ${paid.currency}`,
      };
    }
    const refunded = payment.refunds.reduce((sum, refund) => sum + BigInt(refund.refundAmount.value), 0n);
    const left = BigInt(paid.value) - refunded;
    if (BigInt(request.refundAmount.value) > left) {
      return {
        kind: 'error',
        resultCode: 'REFUND_AMOUNT_EXCEED',
        message: `the refunds would exceed the paid amount: ${left} ${paid.currency} (minor units) left to refund`,
      };
    }
    let refundId = newId('SBXREF', this.options.now());
    while (this.refundIds.has(refundId)) refundId = newId('SBXREF', this.options.now());
    const refund: RefundRecord = {
      refundId,
      refundRequestId: request.refundRequestId,
      refundAmount: { currency: request.refundAmount.currency, value: request.refundAmount.value },
      refundTime: this.options.formatTime(this.options.now()),
      hash,
      ...(request.refundReason === undefined ? {} : { refundReason: request.refundReason }),
    };
    payment.refunds.push(refund);
    this.save(payment);
    this.refundIds.add(refundId);
    this.refundsByRequestId.set(`${clientId}\n${request.refundRequestId}`, { payment, refund });
    return { kind: 'refunded', refund, payment };
  }

  /** Cancels every PROCESSING payment past its `paymentExpiryTime`. Called before every read. */
  expireDue(): void {
    const now = this.options.now().getTime();
    for (const payment of this.processing) {
      if (payment.expiresAt.getTime() <= now) {
        this.finish(payment, 'CANCELLED', {
          resultStatus: 'F',
          resultCode: 'ORDER_IS_CLOSED',
          resultMessage: 'The payment expired.',
        });
      }
    }
  }

  private finish(payment: Payment, status: SandboxPaymentStatus, result: Result): void {
    const now = this.options.now();
    payment.status = status;
    this.processing.delete(payment);
    payment.finishedAt = now;
    if (status === 'SUCCESS') payment.paymentTime = now;
    payment.finalResult = { ...result };
    // onFinal schedules the notification (its state changes synchronously): one write holds both.
    this.options.onFinal(payment);
    this.save(payment);
  }
}

function describeFinal(payment: Payment): string {
  if (payment.status === 'CANCELLED' && payment.finalResult?.resultMessage === 'The payment expired.')
    return 'CANCELLED (expired)';
  return payment.status;
}
