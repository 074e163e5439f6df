// The dashboard's request-log section (its script, /assets/requests.js, fills it from GET /sandbox/requests).
import { html, type Raw } from './html';
import { VERDICTS } from './request-log';

export function requestLogSection(size: number): Raw {
  return html`<section id="requests">
<link rel="stylesheet" href="/assets/requests.css">
<h2>OpenAPI requests <small>(newest first; the last ${size} are kept; <span id="requests-status">loading</span>)</small></h2>
<form id="request-filters">
<label>path contains <input name="path" size="28" placeholder="/v2/payments/pay"></label>
<label>Client-Id <input name="client" size="24"></label>
<label>verdict <select name="verdict"><option value="">any</option>${VERDICTS.map((verdict) => html`<option value="${verdict}">${verdict}</option>`)}</select></label>
<button type="submit">Filter</button>
</form>
<table>
<thead><tr><th>Time</th><th>Request</th><th>Client-Id</th><th>Verdict</th><th>Result</th><th>Details</th></tr></thead>
<tbody><tr class="empty"><td colspan="6">No OpenAPI request yet.</td></tr></tbody>
</table>
<noscript><p>The request log needs JavaScript; the same data is at <a href="/sandbox/requests">/sandbox/requests</a>.</p></noscript>
<script src="/assets/requests.js" defer></script>
</section>`;
}
