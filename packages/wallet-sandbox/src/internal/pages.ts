// The two web pages: the cashier a person pays at, and the dashboard that shows everything.
import { formatAmount } from '@minipay/contract';
import { OUTCOMES } from '../outcomes';
import { html, layout, type Raw } from './html';
import { merchantName } from './payment-view';
import { requestLogSection } from './request-log-page';
import type { Payment } from './payments';

export interface CashierResult {
  resultCode?: string;
  error?: string;
}

/** `GET /cashier/:paymentId` (and the no-script form post). */
export function cashierPage(payment: Payment, formatTime: (date: Date) => string, result: CashierResult = {}): string {
  const order = payment.request.order;
  const open = payment.status === 'PROCESSING';
  const body = html`<main class="cashier">
<p class="badge">minipay wallet sandbox - no real money moves</p>
<h1>Pay <span id="merchant">${merchantName(payment)}</span></h1>
<p class="amount" id="amount">${formatAmount(payment.request.paymentAmount)}</p>
<p id="description">${order.orderDescription}</p>
<dl>
<dt>Order</dt><dd id="order-id">${order.referenceOrderId}</dd>
<dt>Payment</dt><dd id="payment-id">${payment.paymentId}</dd>
<dt>Status</dt><dd id="payment-status">${payment.status}</dd>
<dt>Expires</dt><dd>${formatTime(payment.expiresAt)}</dd>
</dl>
${
  open
    ? html`<form id="outcomes" method="post" action="/cashier/${encodeURIComponent(payment.paymentId)}" data-payment-id="${payment.paymentId}">
<p>Choose what happens:</p>
${OUTCOMES.map(
  (definition) =>
    html`<button type="submit" name="outcome" value="${definition.outcome}" data-outcome="${definition.outcome}">${definition.label}</button>
`,
)}</form>`
    : html``
}
<section id="result" aria-live="polite"${result.resultCode || result.error || !open ? html`` : html` hidden`}>
${resultBlock(payment, result)}
</section>
</main>`;
  return layout(`Sandbox cashier - ${payment.paymentId}`, body, 'cashier.js');
}

function resultBlock(payment: Payment, result: CashierResult): Raw {
  if (result.error) return html`<p class="error" id="result-error">${result.error}</p>`;
  const resultCode = result.resultCode ?? payment.resultCode;
  return html`<p>resultCode <strong id="result-code">${resultCode ?? '-'}</strong>, payment status <strong id="result-status">${payment.status}</strong></p>
${payment.finalResult ? html`<p class="note">${payment.finalResult.resultStatus} ${payment.finalResult.resultCode}: ${payment.finalResult.resultMessage ?? ''}</p>` : html``}`;
}

export function cashierNotFound(paymentId: string, stateFile: string | undefined): string {
  const where =
    stateFile === undefined
      ? html`Its state is in memory: a restart forgets every payment.`
      : html`Its state is kept in <code>${stateFile}</code>.`;
  return layout(
    'Sandbox cashier - unknown payment',
    html`<main class="cashier"><h1>No such payment</h1><p>The sandbox knows no payment <code>${paymentId}</code>. ${where}</p></main>`,
    'cashier.js',
  );
}

/** `GET /`: the shell; the script fills the table from `GET /sandbox/payments` every 2 s. */
export function dashboardPage(info: {
  clientId: string;
  openApiBase: string;
  home: string;
  schedule: readonly number[];
  requestLogSize: number;
  /** The state's file, or undefined when it is in memory. */
  stateFile: string | undefined;
}): string {
  const faultFields = html`<label>delay (s) <input name="delaySeconds" type="number" min="0" step="any"></label>
<label>duplicate x <input name="duplicate" type="number" min="1" step="1"></label>
<label>drop first <input name="dropFirst" type="number" min="0" step="1"></label>
<label><input name="neverSend" type="checkbox"> never send</label>
<label><input name="badSignature" type="checkbox"> bad signature</label>
<label><input name="sendBeforeCashier" type="checkbox"> send before the cashier answers</label>
<label>next refund answers <select name="refundResult"><option value="">normally</option><option value="U">U once (refunded, answer lost)</option><option value="F">F once (not refunded)</option></select></label>`;
  const body = html`<main class="dashboard">
<header>
<h1>minipay wallet sandbox</h1>
${
  info.stateFile === undefined
    ? html`<p class="memory" id="memory-note"><strong>State is in memory:</strong> restarting the sandbox forgets every payment, auth code, token and fault.</p>`
    : html`<p class="persistent" id="memory-note"><strong>State is kept on disk</strong> in <code id="state-file">${info.stateFile}</code>: payments, notifications, auth codes, tokens and faults survive a restart (start with <code>--in-memory</code> to forget them).</p>`
}
<p>Client-Id <code id="client-id">${info.clientId}</code> - OpenAPI <code>${info.openApiBase}</code> - home <code>${info.home}</code></p>
<p>Notification retries (after the first attempt): <code>${info.schedule.map(formatDelay).join(', ') || 'none'}</code></p>
</header>
<section class="faults">
<h2>Faults</h2>
<form id="global-faults"><fieldset><legend>Every payment (global)</legend>${faultFields}
<button type="submit">Set global faults</button></fieldset></form>
<form id="payment-faults"><fieldset><legend>One payment</legend>
<label>payment id <input name="paymentId" required size="34"></label>${faultFields}
<button type="submit">Set faults for this payment</button></fieldset></form>
<p><button type="button" id="clear-faults">Clear all faults</button> Active: <code id="active-faults">none</code></p>
<p id="message" role="status"></p>
</section>
<section>
<h2>Payments <small>(newest first; refreshed every 2 s, last <span id="last-refresh">never</span>)</small></h2>
<table id="payments">
<thead><tr><th>Created</th><th>Payment</th><th>Request id</th><th>Amount</th><th>Status</th><th>Refunds</th><th>Notification attempts</th><th>Actions</th></tr></thead>
<tbody><tr class="empty"><td colspan="8">No payments yet.</td></tr></tbody>
</table>
<noscript><p>The payment list needs JavaScript; the same data is at <a href="/sandbox/payments">/sandbox/payments</a>.</p></noscript>
</section>
${requestLogSection(info.requestLogSize)}
</main>`;
  return layout('minipay wallet sandbox', body, 'dashboard.js');
}

function formatDelay(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
