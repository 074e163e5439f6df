// The scripting API (JSON, for tests and scripts): outcomes, payments, resends, auth codes, faults.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseFaults, type Faults } from '../faults';
import { isOutcome, OUTCOME_NAMES, type Outcome } from '../outcomes';
import type { SandboxContext } from './context';
import { SandboxError } from '../errors';
import { errorBody } from './error-answers';
import { paymentView } from './payment-view';
import type { Payment } from './payments';
import { GLOBAL_FAULTS } from './state-store';

/** JSON or form-encoded bodies of the scripting API and the cashier's no-script form. */
export function readBody(request: FastifyRequest): Record<string, unknown> {
  const raw = Buffer.isBuffer(request.body)
    ? request.body.toString('utf8')
    : typeof request.body === 'string'
      ? request.body
      : '';
  if (raw.trim() === '') return {};
  const type = String(request.headers['content-type'] ?? '');
  // A mini program runtime that drops the JSON content type still sends the JSON text: read it as JSON.
  if (type.startsWith('application/x-www-form-urlencoded') && !raw.trimStart().startsWith('{')) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SandboxError('the body must be JSON, e.g. {"outcome":"pay"}', { code: 'BAD_REQUEST' });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SandboxError('the body must be a JSON object', { code: 'BAD_REQUEST' });
  return parsed as Record<string, unknown>;
}

/** Applies an outcome; with `sendBeforeCashier` the answer waits for the first notification attempt. */
export async function applyOutcome(context: SandboxContext, paymentId: string, outcome: Outcome) {
  const result = context.payments.complete(paymentId, outcome);
  if ('error' in result) return result;
  if (context.faultsFor(result).sendBeforeCashier) await context.notifier.firstAttempt(paymentId);
  return result;
}

export function registerSandboxRoutes(app: FastifyInstance, context: SandboxContext): void {
  const { payments, notifier } = context;
  const view = (payment: Payment) =>
    paymentView(payment, context.faults.global, context.formatTime, context.cashierUrl(payment.paymentId));

  // The scripting API may be called from a web view (a simulator's my.request over XHR, a browser script):
  // allow any origin. It holds no secrets, and the OpenAPI routes are signed anyway.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/sandbox/')) reply.header('access-control-allow-origin', '*');
  });
  app.options('/sandbox/*', async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '600')
      .send(),
  );

  const complete = (paymentId: string, outcome: Outcome) => applyOutcome(context, paymentId, outcome);

  app.post<{ Params: { paymentId: string } }>('/sandbox/payments/:paymentId/complete', async (request, reply) => {
    const { outcome } = readBody(request);
    if (!isOutcome(outcome)) {
      return reply
        .code(400)
        .send(
          errorBody(
            'INVALID_OUTCOME',
            `outcome must be one of ${OUTCOME_NAMES.join(', ')}; got ${JSON.stringify(outcome) ?? 'nothing'}`,
          ),
        );
    }
    const result = await complete(request.params.paymentId, outcome);
    if ('error' in result) {
      return result.error === 'NOT_FOUND'
        ? reply.code(404).send(errorBody('NOT_FOUND', result.message))
        : reply.code(409).send({ ...errorBody(result.error, result.message), paymentStatus: result.payment.status });
    }
    return { paymentId: result.paymentId, resultCode: result.resultCode, paymentStatus: result.status };
  });

  app.get('/sandbox/payments', async () => ({
    clientId: context.clientId,
    inMemory: context.store.file === undefined,
    stateFile: context.store.file ?? null,
    payments: payments.list().map(view),
    faults: faultsSnapshot(),
  }));

  app.get<{ Params: { paymentId: string } }>('/sandbox/payments/:paymentId', async (request, reply) => {
    const payment = payments.get(request.params.paymentId);
    if (!payment) return reply.code(404).send(errorBody('NOT_FOUND', `no payment ${request.params.paymentId}`));
    return view(payment);
  });

  app.post<{ Params: { paymentId: string } }>('/sandbox/payments/:paymentId/notify', async (request, reply) => {
    const payment = payments.get(request.params.paymentId);
    if (!payment) return reply.code(404).send(errorBody('NOT_FOUND', `no payment ${request.params.paymentId}`));
    if (payment.status === 'PROCESSING') {
      return reply
        .code(409)
        .send(
          errorBody('ORDER_STATUS_INVALID', `payment ${payment.paymentId} has no final status yet; nothing to notify`),
        );
    }
    void notifier.start(payment);
    return view(payment);
  });

  app.post('/sandbox/auth-codes', async (request, reply) => {
    const { customerId } = readBody(request);
    if (customerId !== undefined && (typeof customerId !== 'string' || customerId === '' || customerId.length > 64)) {
      return reply
        .code(400)
        .send(errorBody('BAD_REQUEST', 'customerId must be a non-empty string of at most 64 characters'));
    }
    return context.authorizations.issueCode(customerId);
  });

  app.get('/sandbox/faults', async () => faultsSnapshot());

  app.post('/sandbox/faults', async (request, reply) => {
    const input = readBody(request);
    let faults: Faults;
    try {
      faults = parseFaults(input);
    } catch (error) {
      return reply.code(400).send(errorBody('BAD_REQUEST', (error as Error).message));
    }
    const paymentId = input.paymentId;
    if (paymentId === undefined || paymentId === '') {
      context.store.saveFaults(GLOBAL_FAULTS, faults);
      context.faults.global = faults;
      return { faults };
    }
    const payment = typeof paymentId === 'string' ? payments.get(paymentId) : undefined;
    if (!payment) return reply.code(404).send(errorBody('NOT_FOUND', `no payment ${String(paymentId)}`));
    context.store.saveFaults(payment.paymentId, faults);
    payment.faults = faults;
    return { paymentId, faults };
  });

  app.delete<{ Querystring: { paymentId?: string } }>('/sandbox/faults', async (request, reply) => {
    const paymentId = request.query.paymentId;
    if (paymentId) {
      const payment = payments.get(paymentId);
      if (!payment) return reply.code(404).send(errorBody('NOT_FOUND', `no payment ${paymentId}`));
      context.store.saveFaults(payment.paymentId, undefined);
      delete payment.faults;
      return { paymentId, faults: {} };
    }
    context.store.clearFaults();
    context.faults.global = {};
    for (const payment of payments.list()) delete payment.faults;
    return { faults: {} };
  });

  function faultsSnapshot(): { global: Faults; payments: Record<string, Faults> } {
    const perPayment: Record<string, Faults> = {};
    for (const payment of payments.list()) {
      if (payment.faults && Object.keys(payment.faults).length > 0) perPayment[payment.paymentId] = payment.faults;
    }
    return { global: context.faults.global, payments: perPayment };
  }
}
