// The six outcomes a tester can pick at the cashier (docs/PROTOCOL.md §7), in its order. Pure data with
// no imports: the mini program shim (ES2017, no Node) shares this file with the server.

/** What the person at the cashier (or a test) chooses. */
export type Outcome = 'pay' | 'processing' | 'fail' | 'cancel' | 'network-error' | 'unknown';

/** The payment status the wallet records, as `inquiryPayment` reports it. */
export type SandboxPaymentStatus = 'SUCCESS' | 'FAIL' | 'PROCESSING' | 'CANCELLED';

export interface OutcomeDefinition {
  outcome: Outcome;
  /** The button and action-sheet label. */
  label: string;
  /** What `my.tradePay` hands back to the mini program. */
  resultCode: string;
  /** What the wallet records (and `inquiryPayment` reports). */
  paymentStatus: SandboxPaymentStatus;
  /** The `paymentResult` of the notification. */
  notification: { resultStatus: 'S' | 'F'; resultCode: string; resultMessage: string };
}

const PAID = { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' } as const;

/** The README's outcome table, in PROTOCOL §7's order (the cashier's buttons, the action sheet's items). */
export const OUTCOMES: readonly OutcomeDefinition[] = [
  { outcome: 'pay', label: 'Pay', resultCode: '9000', paymentStatus: 'SUCCESS', notification: PAID },
  {
    outcome: 'processing',
    label: 'Pay, report 8000 (processing)',
    resultCode: '8000',
    paymentStatus: 'SUCCESS',
    notification: PAID,
  },
  {
    outcome: 'fail',
    label: 'Fail (USER_BALANCE_NOT_ENOUGH)',
    resultCode: '4000',
    paymentStatus: 'FAIL',
    notification: {
      resultStatus: 'F',
      resultCode: 'USER_BALANCE_NOT_ENOUGH',
      resultMessage: 'The user balance is not enough.',
    },
  },
  {
    outcome: 'cancel',
    label: 'Cancel (6001)',
    resultCode: '6001',
    paymentStatus: 'CANCELLED',
    notification: {
      resultStatus: 'F',
      resultCode: 'ORDER_IS_CLOSED',
      resultMessage: 'The user cancelled the payment.',
    },
  },
  {
    outcome: 'network-error',
    label: 'Pay, then network error (6002)',
    resultCode: '6002',
    paymentStatus: 'SUCCESS',
    notification: PAID,
  },
  {
    outcome: 'unknown',
    label: 'Pay, then result unknown (6004)',
    resultCode: '6004',
    paymentStatus: 'SUCCESS',
    notification: PAID,
  },
];

/** The outcome names in order: `pay`, `processing`, `fail`, `cancel`, `network-error`, `unknown`. */
export const OUTCOME_NAMES: readonly Outcome[] = OUTCOMES.map((definition) => definition.outcome);

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOME_NAMES as readonly string[]).indexOf(value) !== -1;
}

export function outcomeDefinition(outcome: Outcome): OutcomeDefinition {
  for (const definition of OUTCOMES) if (definition.outcome === outcome) return definition;
  throw new Error(`unknown outcome ${String(outcome)}`);
}
