// A sender's relay as the workers last found it (last_connection), and "Test connection": queued through
// the API — the web tier has no SMTP (I1) — run by the worker serving the sender, polled until it passed or
// failed with a named fault.
import { get, post } from './api.js';
import { actionButton, announce, badge, fill, h } from './dom.js';
import { faultTitle, relative, when } from './format.js';

/** "Connected", the named fault, or "Not tried yet" (never a green badge for a relay that failed last). */
export function connectionBadge(sn) {
  const c = sn.last_connection;
  if (!c) return badge('pending', 'Not tried yet');
  return c.status === 'ok' ? badge('on', 'Connected') : badge('failed', faultTitle(c.fault));
}

/** The badge, when, and the sentence the worker wrote. */
export function connectionLine(sn) {
  const c = sn.last_connection;
  if (!c) {
    return h('div', { class: 'small', 'data-connection': 'none' }, connectionBadge(sn),
      h('span', { class: 'muted' }, ' No worker has talked to this mail server with these settings yet.'));
  }
  return h('div', { class: 'small', 'data-connection': c.status, 'data-fault': c.fault || '' },
    connectionBadge(sn), h('span', { class: 'muted' }, ` Last connection ${when(c.at)} (${relative(c.at)})`),
    c.detail ? h('div', { class: 'mt-6' }, c.detail) : null);
}

const POLL_FAST_MS = 1000;
const POLL_SLOW_MS = 5000;
const FAST_FOR_MS = 30000;

/**
 * A "Test connection" button and its result in place. onDone(test) runs once the worker passed or failed it
 * (to re-read the sender, whose last_connection it became).
 */
export function connectionTest(senderId, onDone) {
  // Not a live region (it sits in the refreshing dashboard): the outcome is announced once when it is known.
  const result = h('div', { class: 'small', 'data-connection-test': '' });
  let timer = null;

  const show = t => {
    if (t.status === 'queued') {
      fill(result, badge('queued', 'Testing'), h('span', { class: 'muted' }, ' Waiting for a worker to connect…'));
    } else {
      fill(result, t.status === 'ok' ? badge('on', 'Connection OK') : badge('failed', faultTitle(t.fault)),
        h('span', { class: 'muted' }, ` ${when(t.tested_at)}`), t.detail ? h('div', { class: 'mt-6' }, t.detail) : null);
    }
    result.dataset.connectionTest = t.status;
    result.dataset.fault = t.fault || '';
  };

  const poll = (id, started) => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!result.isConnected) return;
      try {
        const t = await get(`/api/senders/${senderId}/connection-tests/${id}`);
        show(t);
        if (t.status === 'queued') {
          poll(id, started);
        } else {
          announce(t.status === 'ok' ? 'Connection test passed.' : `Connection test failed: ${faultTitle(t.fault)}.`);
          onDone?.(t);
        }
      } catch (e) {
        fill(result, h('span', { class: 'field-error' }, e.problem?.detail || e.message));
      }
    }, Date.now() - started < FAST_FOR_MS ? POLL_FAST_MS : POLL_SLOW_MS);
  };

  const button = actionButton({ class: 'btn btn-sm', 'data-action': 'test-connection' }, 'Test connection', async () => {
    const r = await post(`/api/senders/${senderId}/connection-tests`);
    show(r);
    poll(r.id, Date.now());
  });
  return h('div', { class: 'stack', 'data-connection-tester': senderId },
    h('div', null, button, h('span', { class: 'muted small' }, ' Connects, sets up TLS and logs in as set — sends no mail.')),
    result);
}
