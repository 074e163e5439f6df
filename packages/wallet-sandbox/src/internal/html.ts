// Server-rendered HTML: everything that comes from a request or a payment goes through `escapeHtml`.
// Pages load their script and style from /assets (no inline script), so the CSP can forbid inline code.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (character) => ENTITIES[character] as string);
}

/** A tagged template that escapes every interpolated value except `Raw` ones (already-built HTML). */
export class Raw {
  constructor(readonly html: string) {}
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Raw(out);
}

function render(value: unknown): string {
  if (value instanceof Raw) return value.html;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The cashier's: the same, except that any page may embed it. A wallet shows its cashier over the mini
 * program; the preview (@minipay/preview) does the same with an iframe, on whatever address it runs. The
 * sandbox moves no money, so being framed puts nothing at stake; the dashboard stays unframeable.
 */
export const CASHIER_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "frame-ancestors 'none'",
  'frame-ancestors *',
);

export function layout(title: string, body: Raw, script: string): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/sandbox.css">
<script src="/assets/${script}" defer></script>
</head>
<body>
${body}
</body>
</html>
`.html;
}
