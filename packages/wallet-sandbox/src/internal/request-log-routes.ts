// `GET /sandbox/requests` (the request log, newest first, filtered by path, client and verdict), `DELETE
// /sandbox/requests` (forget it), and the dashboard section's script and style.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context';
import { errorBody } from './error-answers';
import { VERDICTS, type RequestLogFilter, type Verdict } from './request-log';
import { REQUEST_LOG_CSS, REQUEST_LOG_JS } from './request-log-assets';

type Query = { path?: string; client?: string; verdict?: string; limit?: string };

export function registerRequestLogRoutes(app: FastifyInstance, context: SandboxContext): void {
  const log = context.requestLog;

  app.get<{ Querystring: Query }>('/sandbox/requests', async (request, reply) => {
    const filter = readFilter(request.query, log.size);
    if (typeof filter === 'string') return reply.code(400).send(errorBody('BAD_REQUEST', filter));
    return { requests: log.list(filter), count: log.count, size: log.size };
  });

  app.delete('/sandbox/requests', async () => {
    log.clear();
    return { requests: [], count: 0, size: log.size };
  });

  const asset = (type: string, body: string) => (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('content-type', type).header('cache-control', 'no-cache').send(body);
  app.get('/assets/requests.js', asset('text/javascript; charset=utf-8', REQUEST_LOG_JS));
  app.get('/assets/requests.css', asset('text/css; charset=utf-8', REQUEST_LOG_CSS));
}

/** The filter of a query string, or why it is not one. Empty parameters (an untouched form field) mean no filter. */
function readFilter(query: Query, size: number): RequestLogFilter | string {
  const filter: RequestLogFilter = {};
  if (query.path) filter.path = query.path;
  if (query.client) filter.client = query.client;
  if (query.verdict) {
    if (!VERDICTS.includes(query.verdict as Verdict))
      return `verdict must be one of ${VERDICTS.join(', ')}; got ${JSON.stringify(query.verdict)}`;
    filter.verdict = query.verdict as Verdict;
  }
  if (query.limit) {
    const limit = Number(query.limit);
    if (!/^\d+$/.test(query.limit) || limit < 1 || limit > size)
      return `limit must be a whole number from 1 to ${size}; got ${JSON.stringify(query.limit)}`;
    filter.limit = limit;
  }
  return filter;
}
