// The web pages: the cashier (and its no-script form post), the dashboard, and their static assets.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOutcome, OUTCOME_NAMES } from '../outcomes';
import { CASHIER_JS, DASHBOARD_JS, FAVICON_SVG, SANDBOX_CSS } from './assets';
import type { SandboxContext } from './context';
import { CASHIER_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY } from './html';
import { cashierNotFound, cashierPage, dashboardPage } from './pages';
import { applyOutcome, readBody } from './sandbox-routes';

export function registerPageRoutes(app: FastifyInstance, context: SandboxContext): void {
  const { payments } = context;
  const sendHtml = (reply: FastifyReply, status: number, body: string, policy = CONTENT_SECURITY_POLICY) =>
    reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', policy)
      .header('cache-control', 'no-store')
      .send(body);

  app.get<{ Params: { paymentId: string } }>('/cashier/:paymentId', async (request, reply) => {
    const payment = payments.get(request.params.paymentId);
    if (!payment)
      return sendHtml(
        reply,
        404,
        cashierNotFound(request.params.paymentId, context.store.file),
        CASHIER_CONTENT_SECURITY_POLICY,
      );
    return sendHtml(reply, 200, cashierPage(payment, context.formatTime), CASHIER_CONTENT_SECURITY_POLICY);
  });

  // The cashier's form posts here when the page's script does not run.
  app.post<{ Params: { paymentId: string } }>('/cashier/:paymentId', async (request, reply) => {
    const { outcome } = readBody(request);
    const payment = payments.get(request.params.paymentId);
    if (!payment)
      return sendHtml(
        reply,
        404,
        cashierNotFound(request.params.paymentId, context.store.file),
        CASHIER_CONTENT_SECURITY_POLICY,
      );
    if (!isOutcome(outcome)) {
      return sendHtml(
        reply,
        400,
        cashierPage(payment, context.formatTime, { error: `outcome must be one of ${OUTCOME_NAMES.join(', ')}` }),
        CASHIER_CONTENT_SECURITY_POLICY,
      );
    }
    const result = await applyOutcome(context, payment.paymentId, outcome);
    if ('error' in result)
      return sendHtml(
        reply,
        409,
        cashierPage(payment, context.formatTime, { error: result.message }),
        CASHIER_CONTENT_SECURITY_POLICY,
      );
    return sendHtml(
      reply,
      200,
      cashierPage(result, context.formatTime, { ...(result.resultCode ? { resultCode: result.resultCode } : {}) }),
      CASHIER_CONTENT_SECURITY_POLICY,
    );
  });

  app.get('/', async (_request, reply) =>
    sendHtml(
      reply,
      200,
      dashboardPage({
        clientId: context.clientId,
        openApiBase: context.publicUrl() + context.pathPrefix,
        home: context.home,
        schedule: context.retrySchedule,
        requestLogSize: context.requestLog.size,
        stateFile: context.store.file,
      }),
    ),
  );

  const asset = (type: string, body: string) => (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('content-type', type).header('cache-control', 'no-cache').send(body);
  app.get('/assets/sandbox.css', asset('text/css; charset=utf-8', SANDBOX_CSS));
  app.get('/assets/cashier.js', asset('text/javascript; charset=utf-8', CASHIER_JS));
  app.get('/assets/dashboard.js', asset('text/javascript; charset=utf-8', DASHBOARD_JS));
  app.get('/assets/favicon.svg', asset('image/svg+xml', FAVICON_SVG));
  // Browsers ask for /favicon.ico whatever the page links; the same picture answers it.
  app.get('/favicon.ico', asset('image/svg+xml', FAVICON_SVG));
}
