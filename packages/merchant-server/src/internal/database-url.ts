// `MINIPAY_DATABASE_URL`: reading it, and showing it without its password (in a log line, an error message), since
// the URL is where the password usually is.

/** The URL with the password (if any) replaced by `***`, and nothing else changed. */
export function redactDatabaseUrl(url: URL): string {
  if (url.password === '') return url.href;
  const shown = new URL(url.href);
  shown.password = '***';
  return shown.href;
}

/**
 * Checks that `raw` is a PostgreSQL URL (`postgres://` or `postgresql://`, with a host); the reason when it is not.
 * A reason never quotes the URL's password: a URL that does not even parse is not quoted at all.
 */
export function databaseUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL (not shown here, since it may hold a password); expected postgres://user:password@host:5432/database';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    // Only the scheme: in a URL of another kind, a password need not be where `URL` looks for one.
    return `must be a postgres:// (or postgresql://) URL; got a ${url.protocol} URL`;
  }
  if (url.hostname === '') return `names no host; got ${redactDatabaseUrl(url)}`;
  if (url.pathname.replace(/^\//, '') === '')
    return `names no database (postgres://host:5432/<database>); got ${redactDatabaseUrl(url)}`;
  return undefined;
}
