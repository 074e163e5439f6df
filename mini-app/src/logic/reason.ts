import type { Strings } from '../i18n/strings';

/**
 * Why a payment failed or was refused, as the user reads it: the user's language for a code the app
 * knows (the wallet's message is in the wallet's language), else the wallet's message, else the code.
 */
export function reasonText(reason: { code?: string; message?: string }, t: Strings): string {
  const { code, message } = reason;
  if (code && Object.prototype.hasOwnProperty.call(t.reasons, code)) return t.reasons[code as keyof Strings['reasons']];
  return message || code || '';
}
