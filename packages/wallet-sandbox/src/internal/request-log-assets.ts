// The dashboard's request-log section: its style, and a plain ES5 script that polls `GET /sandbox/requests` every
// 2 s with the section's filters and adds the new calls on top. An entry never changes once logged, so a row is
// built once (an open <details> stays open). Data goes in with textContent, never innerHTML. "Copy content string"
// copies exactly what the signature covers: the content string up to the body, then the body as it travelled.

export const REQUEST_LOG_CSS = `
#requests form { margin-bottom: 8px; }
#requests form label { margin-right: 12px; }
#requests .verdict-refused .verdict, #requests .verdict-unread .verdict { color: #b00020; font-weight: 600; }
#requests .verdict-verified .verdict { color: #137333; font-weight: 600; }
#requests pre { white-space: pre-wrap; word-break: break-all; background: #f4f6fa; padding: 6px; margin: 4px 0; font-size: 12px; }
#requests details h4 { margin: 8px 0 2px; font-size: 12px; }
#requests .copied { color: #137333; margin-left: 8px; }
`;

export const REQUEST_LOG_JS = `(function () {
  'use strict';
  var section = document.getElementById('requests');
  if (!section) return;
  var tbody = section.querySelector('tbody');
  var form = document.getElementById('request-filters');
  var status = document.getElementById('requests-status');
  var rows = {};
  var query = '';
  var generation = 0;

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'className') node.className = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function time(iso) { return iso ? iso.slice(11, 19) : ''; }
  function contentString(entry) {
    if (!entry.content || entry.content.contentHead === null || entry.request.truncated) return '';
    return entry.content.contentHead + entry.request.body;
  }
  function headerLines(pairs) { return pairs.map(function (pair) { return pair[0] + ': ' + pair[1]; }).join('\\n'); }
  function copyText(text, done) {
    function fallback() {
      var area = el('textarea', {});
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (error) { ok = false; }
      document.body.removeChild(area);
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else fallback();
  }

  function renderRow(entry) {
    var content = contentString(entry);
    var copied = el('span', { className: 'copied', role: 'status' });
    var copy = el('button', { type: 'button', 'data-action': 'copy', text: 'Copy content string' });
    copy.addEventListener('click', function () {
      copyText(content, function (ok) { copied.textContent = ok ? 'Copied' : 'Copy failed: select the text above'; });
    });
    var answer = entry.answer;
    var details = el('details', {}, [
      el('summary', { text: entry.diagnosis ? entry.diagnosis.summary : entry.verdict === 'verified' ? 'signature verified' : 'not read: ' + answer.result.resultMessage }),
      el('h4', { text: 'Content string (what the signature covers)' }),
      el('pre', { className: 'content', text: content || (entry.request.truncated ? '(the body is over 64 KiB: compare its length and SHA-256 below)' : '(incomplete: a header is missing)') }),
      content ? copy : null,
      copied,
      entry.content ? el('div', { text: 'body ' + entry.content.body.length + ' bytes, sha256 ' + entry.content.body.sha256 }) : null,
      entry.diagnosisText ? el('h4', { text: 'Diagnosis' }) : null,
      entry.diagnosisText ? el('pre', { className: 'diagnosis', text: entry.diagnosisText }) : null,
      el('h4', { text: 'Request ' + entry.method + ' ' + (entry.target || entry.path) }),
      el('pre', { className: 'request-headers', text: headerLines(entry.request.headers) }),
      el('pre', { className: 'request-body', text: entry.request.body + (entry.request.truncated ? '\\n(cut at 64 KiB)' : '') + (entry.request.masked.length ? '\\n(masked: ' + entry.request.masked.join(', ') + ')' : '') }),
      el('h4', { text: 'Signed answer (HTTP ' + answer.status + ')' }),
      el('pre', { className: 'answer-headers', text: Object.keys(answer.headers).map(function (name) { return name + ': ' + answer.headers[name]; }).join('\\n') }),
      el('pre', { className: 'answer-body', text: answer.body })
    ]);
    return el('tr', { 'data-request-id': String(entry.id), className: 'verdict-' + entry.verdict }, [
      el('td', { text: time(entry.at) }),
      el('td', { text: entry.method + ' ' + entry.path + (entry.target ? ' (sent as ' + entry.target + ')' : '') }),
      el('td', { text: entry.clientId || '-' }),
      el('td', { className: 'verdict', text: entry.verdict }),
      el('td', { className: 'result', text: answer.result.resultStatus + ' ' + answer.result.resultCode }),
      el('td', {}, [details])
    ]);
  }

  function update(data) {
    var seen = {};
    var previous = null;
    data.requests.forEach(function (entry) {
      seen[entry.id] = true;
      var tr = rows[entry.id] || (rows[entry.id] = renderRow(entry));
      var wanted = previous ? previous.nextSibling : tbody.firstChild;
      if (wanted !== tr) tbody.insertBefore(tr, wanted);
      previous = tr;
    });
    Object.keys(rows).forEach(function (id) {
      if (!seen[id]) { tbody.removeChild(rows[id]); delete rows[id]; }
    });
    var empty = tbody.querySelector('tr.empty');
    if (empty) empty.hidden = data.requests.length > 0;
    status.textContent = data.requests.length + ' shown, ' + data.count + ' kept (the last ' + data.size + ')';
  }

  function refresh() {
    var mine = generation;
    fetch('/sandbox/requests' + query, { cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(function (data) { if (mine === generation && data.requests) update(data); })
      .catch(function (error) { status.textContent = 'Cannot reach the sandbox: ' + error.message; })
      .then(function () { if (mine === generation) setTimeout(refresh, 2000); });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name && input.value) parts.push(encodeURIComponent(input.name) + '=' + encodeURIComponent(input.value));
    });
    query = parts.length ? '?' + parts.join('&') : '';
    generation++;
    refresh();
  });

  refresh();
})();
`;
