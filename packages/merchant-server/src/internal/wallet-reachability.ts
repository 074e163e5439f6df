// Whether the wallet's URL answers at all: a connection that is refused, a host name that does not resolve or an
// address nobody answers on is a wrong MINIPAY_WALLET_URL (or a wallet that is not running), not a wallet that is
// busy, and "try again in a moment" would not fix it. Checked once at start-up (a warning, since the wallet may start
// after the server) and named when a sign-in cannot reach it.

/** The network error codes that mean nothing answers at that URL, as a developer reads them. */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name not resolved',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
};

/** Why nothing answered, when `error` (or one of its causes) says so; undefined for any other failure. */
export function unreachableReason(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE[code]) return `${UNREACHABLE[code]}, ${code}`;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Resolves with why `url` does not answer, or undefined when it answers anything (any HTTP status) in time. */
export async function probeWallet(url: string, timeoutMs = 3000): Promise<string | undefined> {
  try {
    const answer = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await answer.body?.cancel();
    return undefined;
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
    return unreachableReason(error) ?? `${(error as Error).message}`;
  }
}

/** The sentence for a log or an answer: what is wrong and which setting fixes it. */
export function unreachableMessage(walletUrl: string, reason: string): string {
  return `the wallet at ${walletUrl} does not answer (${reason}): check the merchant server's MINIPAY_WALLET_URL, and that the wallet is running`;
}
