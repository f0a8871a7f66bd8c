// "Send a test email": queued like any other mail (POST /api/test-emails), then its status is polled
// until it is sent, failed or deferred.
import { get, post } from './api.js';
import { actionButton, badge, h, fill, toast } from './dom.js';
import { deferSentence } from './format.js';

const DONE = new Set(['sent', 'failed', 'deferred']);

/**
 * A small form for a message not saved yet (a campaign's own page proofs with views/campaign-proof.js).
 * content() returns {sender_id, subject, html, text} (or throws an Error whose message is shown); tz() gives
 * the sender's zone for a deferral.
 */
export function testEmailForm({ content, tz, defaultTo }) {
  const to = h('input', { class: 'input', type: 'email', name: 'test_to', placeholder: 'you@example.com', value: defaultTo || '',
    autocomplete: 'email', 'aria-label': 'Send a test to' });
  const status = h('div', { class: 'test-status', 'aria-live': 'polite' });
  let timer = null;

  const show = t => {
    const line = [badge(t.status === 'queued' ? 'queued' : t.status), ' '];
    if (t.status === 'queued') line.push(h('span', { class: 'muted' }, 'Waiting for a worker to send it…'));
    if (t.status === 'sent') line.push(h('span', null, 'Delivered to the mail server', t.message_id ? h('span', { class: 'muted small' }, ` · ${t.message_id}`) : null));
    if (t.status === 'failed') line.push(h('span', null, t.last_error || 'The mail server refused it.'));
    if (t.status === 'deferred') line.push(h('span', null, deferSentence(t.defer_reason, t.deferred_until, tz())));
    fill(status, h('div', { class: 'small', 'data-test-email-status': t.status }, line));
  };

  const poll = (id, started) => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!status.isConnected) return;
      try {
        const t = await get(`/api/test-emails/${id}`);
        show(t);
        if (!DONE.has(t.status)) poll(id, started);
        else if (t.status === 'sent') toast('ok', 'Test email sent', `To ${to.value}`);
      } catch (e) {
        fill(status, h('div', { class: 'small field-error' }, e.problem?.detail || e.message));
      }
    }, Date.now() - started < 20000 ? 1500 : 5000);
  };

  const send = actionButton({ class: 'btn', 'data-action': 'send-test' }, 'Send test', async () => {
    let body;
    try {
      body = content();
    } catch (e) {
      toast('error', 'Cannot send a test yet', e.message);
      return;
    }
    const r = await post('/api/test-emails', { ...body, to: to.value.trim() });
    show({ status: 'queued' });
    poll(r.id, Date.now());
  });

  return h('div', { class: 'stack' },
    h('div', { class: 'inline-form' }, h('div', { class: 'field' }, to), send),
    status);
}
