// The pages' style and scripts, served from /assets. Plain ES5-level browser code, no framework: the
// cashier posts the chosen outcome and, when a page embeds it (the preview's tradePay sheet), tells that
// page the resultCode with postMessage; the dashboard polls `GET /sandbox/payments` every 2 s and redraws only
// the rows that changed (so a half-filled select is not wiped). Data goes in with textContent, never innerHTML.
import { OUTCOMES } from '../outcomes';

// Long ids and result codes (USER_BALANCE_NOT_ENOUGH) may break anywhere, so the payments table fits a 1024 px
// window with its actions column on screen.
export const SANDBOX_CSS = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f4f6fa; }
main { max-width: 1200px; margin: 0 auto; padding: 16px; }
.cashier { max-width: 440px; background: #fff; margin-top: 24px; border-radius: 12px; box-shadow: 0 2px 12px #0002; }
.badge { display: inline-block; background: #fff4d6; color: #7a5300; padding: 2px 8px; border-radius: 6px; font-size: 12px; }
.amount { font-size: 32px; font-weight: 600; margin: 4px 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 13px; }
dt { color: #667; } dd { margin: 0; word-break: break-all; }
#outcomes button { display: block; width: 100%; margin: 6px 0; padding: 10px; font-size: 15px; border-radius: 8px; border: 1px solid #c5ccd9; background: #fff; cursor: pointer; }
#outcomes button[value=pay] { background: #1677ff; color: #fff; border-color: #1677ff; }
#result { margin-top: 12px; padding: 8px 12px; background: #eef5ff; border-radius: 8px; }
.error { color: #b00020; }
.memory { background: #fff4d6; padding: 6px 10px; border-radius: 6px; }
.persistent { background: #e3f4e1; padding: 6px 10px; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e7ee; padding: 6px; text-align: left; vertical-align: top; }
td ul { margin: 0; padding-left: 0; list-style: none; }
.status-SUCCESS .status { color: #137333; font-weight: 600; }
.status-FAIL .status, .status-CANCELLED .status { color: #b00020; font-weight: 600; }
.attempt-acknowledged { color: #137333; } .attempt-rejected, .attempt-error { color: #b00020; } .attempt-dropped, .attempt-suppressed { color: #7a5300; }
fieldset { border: 1px solid #c5ccd9; border-radius: 8px; margin-bottom: 8px; }
fieldset label { margin-right: 12px; white-space: nowrap; }
input[type=number] { width: 5em; }
#payments td { overflow-wrap: anywhere; }
#payments select { max-width: 11em; }
`;

/** The favicon: the sandbox's mark, so a browser tab shows it and asks for no missing /favicon.ico. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1677ff"/>' +
  '<text x="16" y="22" font-family="system-ui, sans-serif" font-size="17" font-weight="700" fill="#fff" ' +
  'text-anchor="middle">mp</text></svg>';

export const CASHIER_JS = `(function () {
  'use strict';
  var form = document.getElementById('outcomes');
  if (!form) return;
  var result = document.getElementById('result');
  function show(lines, isError) {
    result.hidden = false;
    result.textContent = '';
    lines.forEach(function (line) {
      var p = document.createElement('p');
      if (isError) p.className = 'error';
      line.forEach(function (part) {
        var node = part.id ? document.createElement('strong') : document.createTextNode(part.text);
        if (part.id) { node.id = part.id; node.textContent = part.text; }
        p.appendChild(node);
      });
      result.appendChild(p);
    });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var button = event.submitter;
    if (!button || !button.value) return;
    var buttons = form.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    fetch('/sandbox/payments/' + encodeURIComponent(form.getAttribute('data-payment-id')) + '/complete', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: button.value })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) throw new Error(answer.body && answer.body.error ? answer.body.error.message : 'the sandbox refused');
      document.getElementById('payment-status').textContent = answer.body.paymentStatus;
      form.hidden = true;
      show([[{ text: 'resultCode ' }, { id: 'result-code', text: answer.body.resultCode }, { text: ', payment status ' },
        { id: 'result-status', text: answer.body.paymentStatus }]]);
      // Embedded (a wallet's sheet over the mini program): the embedding page resolves tradePay with this.
      // Nothing here is secret, so any parent may hear it; the receiver checks that it came from this origin.
      if (window.parent && window.parent !== window) {
        window.parent.postMessage({ type: 'minipay:cashier-result', paymentId: answer.body.paymentId,
          resultCode: answer.body.resultCode, paymentStatus: answer.body.paymentStatus }, '*');
      }
    }).catch(function (error) {
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = false;
      show([[{ id: 'result-error', text: String(error && error.message || error) }]], true);
    });
  });
})();
`;

export const DASHBOARD_JS = `(function () {
  'use strict';
  var OUTCOMES = ${JSON.stringify(OUTCOMES.map((definition) => ({ outcome: definition.outcome, label: definition.label })))};
  var tbody = document.querySelector('#payments tbody');
  var rows = {};
  var message = document.getElementById('message');

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'className') node.className = props[key];
      else if (key === 'disabled') node.disabled = !!props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function time(iso) { return iso ? iso.slice(11, 19) : ''; }
  function faultText(faults) {
    var parts = Object.keys(faults || {}).filter(function (key) {
      var value = faults[key];
      return !(value === false || value === 0 || (key === 'duplicate' && value === 1));
    }).map(function (key) { return key + '=' + faults[key]; });
    return parts.length ? parts.join(', ') : 'none';
  }
  function say(text, isError) { message.textContent = text; message.className = isError ? 'error' : ''; }
  function call(method, url, body) {
    return fetch(url, { method: method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data && data.error ? data.error.message : 'HTTP ' + response.status);
          return data;
        });
      });
  }

  function renderRow(p) {
    var attempts = el('ul', {}, p.notification.attempts.map(function (a) {
      return el('li', { className: 'attempt attempt-' + a.outcome, text: '#' + a.attempt + (a.copy > 1 ? ' copy ' + a.copy : '') +
        (a.round > 1 ? ' (resend ' + (a.round - 1) + ')' : '') + ' ' + time(a.at) +
        (a.httpStatus ? ' HTTP ' + a.httpStatus : '') + ' ' + a.outcome + (a.badSignature ? ' (bad signature sent)' : '') + ': ' + a.detail });
    }));
    var select = el('select', { 'data-role': 'outcome', disabled: p.status !== 'PROCESSING' }, OUTCOMES.map(function (o) {
      return el('option', { value: o.outcome, text: o.label });
    }));
    var final = p.status !== 'PROCESSING';
    return el('tr', { 'data-payment-id': p.paymentId, className: 'status-' + p.status }, [
      el('td', { text: time(p.createdAt) }),
      el('td', {}, [el('a', { href: p.cashierUrl, text: p.paymentId }), el('div', { text: p.orderDescription })]),
      el('td', { text: p.paymentRequestId }),
      el('td', { text: p.amountText }),
      el('td', {}, [
        el('span', { className: 'status', text: p.status }),
        el('div', { text: p.resultCode ? 'resultCode ' + p.resultCode + ' (' + p.outcome + ')' : '' }),
        el('div', { text: p.finalResult ? p.finalResult.resultStatus + ' ' + p.finalResult.resultCode : '' })
      ]),
      el('td', { className: 'refunds' }, [
        el('div', { className: 'refunded', text: p.refundedText ? 'refunded ' + p.refundedText : 'none' }),
        el('ul', {}, p.refunds.map(function (r) {
          return el('li', { className: 'refund', 'data-refund-request-id': r.refundRequestId, text: time(r.refundTime) + ' ' + r.amountText +
            ' ' + r.refundId + ' (request ' + r.refundRequestId + ')' + (r.refundReason ? ': ' + r.refundReason : '') });
        }))
      ]),
      el('td', {}, [
        el('div', { className: 'notification-state', text: p.notification.state + (p.notification.nextAttemptAt ? ', next at ' + time(p.notification.nextAttemptAt) : '') }),
        attempts,
        el('div', { text: 'faults: ' + faultText(p.effectiveFaults) })
      ]),
      el('td', {}, [
        el('button', { type: 'button', 'data-action': 'resend', disabled: !final, text: 'Resend notification' }),
        el('div', {}, [select, el('button', { type: 'button', 'data-action': 'force', disabled: final, text: 'Force outcome' })]),
        el('button', { type: 'button', 'data-action': 'faults', text: 'Faults...' })
      ])
    ]);
  }

  function update(data) {
    var seen = {};
    var previous = null;
    data.payments.forEach(function (p) {
      var json = JSON.stringify(p);
      var entry = rows[p.paymentId];
      seen[p.paymentId] = true;
      if (!entry || entry.json !== json) {
        var tr = renderRow(p);
        if (entry) tbody.replaceChild(tr, entry.tr);
        entry = rows[p.paymentId] = { json: json, tr: tr };
      }
      var wanted = previous ? previous.nextSibling : tbody.firstChild;
      if (wanted !== entry.tr) tbody.insertBefore(entry.tr, wanted);
      previous = entry.tr;
    });
    Object.keys(rows).forEach(function (id) {
      if (!seen[id]) { tbody.removeChild(rows[id].tr); delete rows[id]; }
    });
    var empty = tbody.querySelector('tr.empty');
    if (empty && data.payments.length) tbody.removeChild(empty);
    var active = [];
    if (Object.keys(data.faults.global).length) active.push('global: ' + faultText(data.faults.global));
    Object.keys(data.faults.payments).forEach(function (id) { active.push(id + ': ' + faultText(data.faults.payments[id])); });
    document.getElementById('active-faults').textContent = active.length ? active.join('; ') : 'none';
    document.getElementById('last-refresh').textContent = new Date().toLocaleTimeString();
  }

  function refresh() {
    fetch('/sandbox/payments', { cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(update)
      .catch(function (error) { say('Cannot reach the sandbox: ' + error.message, true); })
      .then(function () { setTimeout(refresh, 2000); });
  }

  tbody.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-action]');
    if (!button) return;
    var id = button.closest('tr').getAttribute('data-payment-id');
    var base = '/sandbox/payments/' + encodeURIComponent(id);
    var action = button.getAttribute('data-action');
    if (action === 'faults') {
      document.querySelector('#payment-faults input[name=paymentId]').value = id;
      document.querySelector('#payment-faults input[name=delaySeconds]').focus();
      return;
    }
    var done = action === 'resend'
      ? call('POST', base + '/notify')
      : call('POST', base + '/complete', { outcome: button.parentNode.querySelector('select').value });
    done.then(function () { say(action === 'resend' ? 'Resending the notification of ' + id : 'Outcome forced for ' + id); })
      .catch(function (error) { say(error.message, true); });
  });

  function faultsFrom(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name) return;
      if (input.type === 'checkbox') body[input.name] = input.checked;
      else if (input.value !== '') body[input.name] = input.name === 'paymentId' || input.tagName === 'SELECT' ? input.value : Number(input.value);
    });
    return body;
  }
  ['global-faults', 'payment-faults'].forEach(function (id) {
    document.getElementById(id).addEventListener('submit', function (event) {
      event.preventDefault();
      call('POST', '/sandbox/faults', faultsFrom(event.target))
        .then(function (data) { say('Faults set: ' + faultText(data.faults)); })
        .catch(function (error) { say(error.message, true); });
    });
  });
  document.getElementById('clear-faults').addEventListener('click', function () {
    call('DELETE', '/sandbox/faults').then(function () { say('All faults cleared'); }).catch(function (error) { say(error.message, true); });
  });

  refresh();
})();
`;
