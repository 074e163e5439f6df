// The path a request's signature covers, from its request target. Most clients send the origin form
// (`POST /api/open/v2/payments/pay HTTP/1.1`); a request through a forward proxy, and every request of the official
// Python SDK (http.client with the whole URL), comes in absolute form (`POST http://host:8210/api/open/... HTTP/1.1`).
// Either way the sender signed the path: servers hand this function `req.url` and verify over what it returns.

const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * The origin form of a request target: `/path?query` as is; `http://host:port/path?query` → `/path?query`
 * (`http://host` alone → `/`). Anything else (e.g. `*` of `OPTIONS *`) is returned unchanged.
 */
export function requestPath(target: string): string {
  if (typeof target !== 'string' || target.startsWith('/')) return target;
  const origin = ABSOLUTE_FORM.exec(target);
  if (!origin) return target;
  const rest = target.slice(origin[0].length).replace(/#.*$/, '');
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}
