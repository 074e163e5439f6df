// Sends `notifyPayment` for payments that reached a final status, verifies the merchant's signed
// acknowledgement, retries on the schedule, and applies the tester's faults. Every attempt is recorded on
// the payment (the dashboard and `GET /sandbox/payments/:id` show them) and logged as one line.
import { generateRsaKeyPair } from '@minipay/dev-home';
import {
  describeNetworkError,
  readResult,
  signRequestAsync,
  verifyResponseAsync,
  type NotifyPaymentRequest,
  type Result,
} from '@minipay/openapi';
import type { Faults } from '../faults';
import { delayBeforeAttempt } from '../retry-schedule';
import type { NotificationAttempt, Payment } from './payments';

export interface NotifierOptions {
  /** The merchant's key (it verifies the acknowledgement). */
  merchantPublicKey: string;
  /** The wallet's key (it signs the notification). */
  walletPrivateKey: string;
  /** Its version, named in the `Signature` header (`keyVersion`). Default 1. */
  walletKeyVersion?: string;
  now: () => Date;
  formatTime: (date: Date) => string;
  /** Delays before attempts 2, 3, ... in ms. */
  schedule: readonly number[];
  faultsFor: (payment: Payment) => Faults;
  log: (line: string) => void;
  /** Per attempt. */
  timeoutMs?: number;
  /** Called after every change to a payment's notification (state, next attempt, a recorded attempt): it is stored. */
  onChange?: (payment: Payment) => void;
}

interface Scheduled {
  timer: NodeJS.Timeout;
  /** Resolves the round's "first attempt done" promise if this was the first attempt. */
  done?: () => void;
}

export class Notifier {
  private readonly scheduled = new Map<string, Scheduled>();
  private readonly firstAttempts = new Map<string, Promise<void>>();
  private busy = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly closing = new AbortController();
  private strayKey: Promise<string> | undefined;

  constructor(private readonly options: NotifierOptions) {}

  /**
   * Starts a round of delivery (the first after the final status; one more per resend). Resolves when the
   * round's first attempt is over, which the `sendBeforeCashier` fault waits for.
   */
  start(payment: Payment): Promise<void> {
    this.cancelScheduled(payment.paymentId);
    const notification = payment.notification;
    notification.rounds += 1;
    notification.nextAttemptAt = undefined;
    if (!payment.request.paymentNotifyUrl) {
      notification.state = 'no-url';
      this.changed(payment);
      return Promise.resolve();
    }
    const faults = this.options.faultsFor(payment);
    if (faults.neverSend) {
      notification.state = 'suppressed';
      this.record(payment, {
        attempt: lastAttempt(payment) + 1,
        copy: 1,
        round: notification.rounds,
        at: this.options.formatTime(this.options.now()),
        outcome: 'suppressed',
        detail: 'not sent: the neverSend fault is on',
      });
      return Promise.resolve();
    }
    const first = new Promise<void>((resolve) => {
      this.schedule(payment, notification.rounds, 1, (faults.delaySeconds ?? 0) * 1000, resolve);
    });
    this.firstAttempts.set(payment.paymentId, first);
    return first;
  }

  /**
   * Picks up a notification a restarted sandbox finds unfinished: a scheduled attempt at its next-attempt time (at
   * once when that has passed), an attempt that was in flight when the process died again at once.
   */
  resume(payment: Payment): void {
    const notification = payment.notification;
    if (notification.state !== 'scheduled' && notification.state !== 'sending') return;
    const round = notification.rounds;
    const inThisRound = notification.attempts.filter((attempt) => attempt.round === round);
    // Killed between recording the acknowledgement and marking the notification delivered: it was delivered.
    if (notification.state === 'sending' && inThisRound.some((attempt) => attempt.outcome === 'acknowledged')) {
      notification.state = 'delivered';
      this.changed(payment);
      return;
    }
    const attemptsInRound = new Set(inThisRound.map((attempt) => attempt.attempt)).size;
    const next = notification.nextAttemptAt === undefined ? NaN : Date.parse(notification.nextAttemptAt);
    const delay = Number.isNaN(next) ? 0 : Math.max(0, next - this.options.now().getTime());
    this.schedule(payment, round, attemptsInRound + 1, delay, undefined, notification.nextAttemptAt);
  }

  /** The current round's first attempt, for `sendBeforeCashier`. */
  firstAttempt(paymentId: string): Promise<void> {
    return this.firstAttempts.get(paymentId) ?? Promise.resolve();
  }

  /** Resolves when nothing is scheduled or in flight. */
  whenIdle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops every scheduled attempt and aborts the ones in flight. */
  close(): Promise<void> {
    this.closing.abort();
    for (const paymentId of [...this.scheduled.keys()]) this.cancelScheduled(paymentId);
    return this.whenIdle();
  }

  private schedule(
    payment: Payment,
    round: number,
    inRound: number,
    delayMs: number,
    done?: () => void,
    /** A resumed attempt keeps the time it was due at, even when that has passed. */
    dueAt?: string,
  ): void {
    const notification = payment.notification;
    notification.state = 'scheduled';
    notification.nextAttemptAt = dueAt ?? this.options.formatTime(new Date(this.options.now().getTime() + delayMs));
    this.changed(payment);
    this.busy += 1;
    const timer = setTimeout(() => {
      this.scheduled.delete(payment.paymentId);
      this.attempt(payment, round, inRound)
        .catch((error: unknown) => this.options.log(`notify ${payment.paymentId}: internal error ${String(error)}`))
        .finally(() => {
          done?.();
          this.release();
        });
    }, delayMs);
    this.scheduled.set(payment.paymentId, { timer, ...(done ? { done } : {}) });
  }

  private cancelScheduled(paymentId: string): void {
    const scheduled = this.scheduled.get(paymentId);
    if (!scheduled) return;
    clearTimeout(scheduled.timer);
    this.scheduled.delete(paymentId);
    scheduled.done?.();
    this.release();
  }

  private release(): void {
    this.busy -= 1;
    if (this.busy === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async attempt(payment: Payment, round: number, inRound: number): Promise<void> {
    const notification = payment.notification;
    if (this.closing.signal.aborted || round !== notification.rounds) return;
    notification.nextAttemptAt = undefined;
    this.changed(payment);
    const faults = this.options.faultsFor(payment);
    const attempt = lastAttempt(payment) + 1;
    let acknowledged = false;
    if (attempt <= (faults.dropFirst ?? 0)) {
      this.record(payment, {
        attempt,
        copy: 1,
        round,
        at: this.options.formatTime(this.options.now()),
        outcome: 'dropped',
        detail: `not sent: the dropFirst fault drops the first ${faults.dropFirst} attempts`,
      });
    } else {
      notification.state = 'sending';
      this.changed(payment);
      const copies = faults.duplicate ?? 1;
      for (let copy = 1; copy <= copies; copy += 1) {
        const meta = { attempt, copy, round, badSignature: faults.badSignature === true };
        let record: NotificationAttempt;
        try {
          record = await this.send(payment, meta);
        } catch (error) {
          // A bug or a broken key, not the merchant's answer: still an attempt that failed, so it is recorded and
          // retried on the schedule, and the notification never stays `sending`.
          record = {
            attempt,
            copy,
            round,
            ...(meta.badSignature ? { badSignature: true } : {}),
            at: this.options.formatTime(this.options.now()),
            outcome: 'error',
            detail: `not sent: the sandbox failed (${error instanceof Error ? error.message : String(error)})`,
          };
        }
        this.record(payment, record);
        if (record.outcome === 'acknowledged') acknowledged = true;
        if (this.closing.signal.aborted) return;
      }
    }
    if (round !== notification.rounds) return; // a resend started a new round meanwhile
    if (acknowledged) {
      notification.state = 'delivered';
      this.changed(payment);
      return;
    }
    const delay = delayBeforeAttempt(this.options.schedule, inRound + 1);
    if (delay === undefined) {
      notification.state = 'exhausted';
      this.changed(payment);
      return;
    }
    this.schedule(payment, round, inRound + 1, delay);
  }

  private async send(
    payment: Payment,
    meta: { attempt: number; copy: number; round: number; badSignature: boolean },
  ): Promise<NotificationAttempt> {
    const url = new URL(payment.request.paymentNotifyUrl as string);
    const path = url.pathname + url.search;
    const rawBody = JSON.stringify(notificationBody(payment, this.options.formatTime));
    const at = this.options.now();
    // Signed and verified in libuv's thread pool: the sandbox's other requests go on meanwhile.
    const headers = await signRequestAsync({
      path,
      clientId: payment.clientId,
      body: rawBody,
      privateKey: meta.badSignature ? await this.wrongKey() : this.options.walletPrivateKey,
      keyVersion: this.options.walletKeyVersion ?? '1',
      now: at,
    });
    const base = {
      attempt: meta.attempt,
      copy: meta.copy,
      round: meta.round,
      at: this.options.formatTime(at),
      ...(meta.badSignature ? { badSignature: true } : {}),
    };
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let response: Response;
    let text: string;
    // One controller per attempt, aborted by its own timer or by close(). (`AbortSignal.timeout` inside
    // `AbortSignal.any` can be collected before it fires on Node 20, and an attempt then waited for minutes.)
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onClose = (): void => controller.abort();
    this.closing.signal.addEventListener('abort', onClose, { once: true });
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body: rawBody,
        redirect: 'manual',
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      const why = timedOut ? `timed out after ${timeoutMs} ms` : describeFetchError(error);
      return { ...base, outcome: 'error', detail: `no answer: ${why}`, durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
      this.closing.signal.removeEventListener('abort', onClose);
    }
    const httpStatus = response.status;
    if (httpStatus < 200 || httpStatus > 299) {
      return {
        ...base,
        outcome: 'rejected',
        httpStatus,
        detail: `HTTP ${httpStatus}: ${snippet(text)}`,
        durationMs: elapsed(),
      };
    }
    let ackBody: unknown;
    try {
      ackBody = await verifyResponseAsync({
        headers: response.headers,
        rawBody: text,
        path,
        publicKey: this.options.merchantPublicKey,
        clientId: payment.clientId,
        httpStatus,
      });
    } catch (error) {
      return {
        ...base,
        outcome: 'rejected',
        httpStatus,
        detail: `acknowledgement not believed: ${error instanceof Error ? error.message : String(error)}`,
        durationMs: elapsed(),
      };
    }
    let ack: Result | undefined;
    let unreadable: string | undefined;
    try {
      const result = readResult(ackBody, 'result', httpStatus);
      ack = {
        resultStatus: result.resultStatus,
        resultCode: result.resultCode,
        ...(typeof result.resultMessage === 'string' ? { resultMessage: result.resultMessage } : {}),
      };
    } catch (error) {
      unreadable = error instanceof Error ? error.message : String(error);
    }
    if (ack?.resultStatus === 'S') {
      return {
        ...base,
        outcome: 'acknowledged',
        httpStatus,
        ack,
        detail: `signature verified: S ${ack.resultCode}`,
        durationMs: elapsed(),
      };
    }
    return {
      ...base,
      outcome: 'rejected',
      httpStatus,
      ...(ack ? { ack } : {}),
      detail: ack
        ? `signature verified, but the answer is ${ack.resultStatus} ${ack.resultCode} (only S stops the retries)`
        : `signature verified, but the body has no result (${unreadable ?? 'unreadable'})`,
      durationMs: elapsed(),
    };
  }

  private changed(payment: Payment): void {
    this.options.onChange?.(payment);
  }

  private record(payment: Payment, attempt: NotificationAttempt): void {
    payment.notification.attempts.push(attempt);
    this.changed(payment);
    const copy = attempt.copy > 1 ? ` copy ${attempt.copy}` : '';
    const status = attempt.httpStatus === undefined ? '' : ` HTTP ${attempt.httpStatus}`;
    const ms = attempt.durationMs === undefined ? '' : ` ${attempt.durationMs}ms`;
    this.options.log(
      `notify ${payment.paymentId} attempt ${attempt.attempt}${copy} (round ${attempt.round}):${status} ${attempt.outcome} - ${attempt.detail}${ms}`,
    );
  }

  /**
   * A key that is not the wallet's, for the `badSignature` fault: a well-formed signature that cannot verify.
   * Generated once, off the event loop (an RSA key takes tens of milliseconds that every other request would wait).
   */
  private wrongKey(): Promise<string> {
    this.strayKey ??= generateRsaKeyPair().then((pair) => pair.privateKey);
    return this.strayKey;
  }
}

/** The `notifyPayment` body (docs/PROTOCOL.md §5.2) for a payment with a final status. */
export function notificationBody(payment: Payment, formatTime: (date: Date) => string): NotifyPaymentRequest {
  return {
    paymentId: payment.paymentId,
    paymentRequestId: payment.paymentRequestId,
    paymentResult: payment.finalResult as Result,
    paymentAmount: { currency: payment.request.paymentAmount.currency, value: payment.request.paymentAmount.value },
    ...(payment.paymentTime ? { paymentTime: formatTime(payment.paymentTime) } : {}),
    paymentCreateTime: formatTime(payment.createdAt),
    ...(payment.request.extendInfo === undefined ? {} : { extendInfo: payment.request.extendInfo }),
  };
}

function lastAttempt(payment: Payment): number {
  const attempts = payment.notification.attempts;
  return attempts.length === 0 ? 0 : (attempts[attempts.length - 1] as NotificationAttempt).attempt;
}

/** The sandbox closing in its words; every other failure as the OpenAPI client describes it. */
function describeFetchError(error: unknown): string {
  if (error instanceof Error && error.name === 'AbortError') return 'aborted (sandbox closing)';
  return describeNetworkError(error);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat || '(empty body)';
}
