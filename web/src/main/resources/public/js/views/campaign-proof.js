// Proofing a campaign from its page: test emails of its own message (POST /api/test-emails with its
// campaign_id), rendered by the worker as one of its recipients — the first unless the user picks another —
// to up to ten addresses at once; and the campaign's test emails with their status, read from the server
// (GET /api/test-emails?campaign_id=) so they outlive the page, and read again while any is on its way.
import { get, post } from '../api.js';
import { actionButton, badge, fill, h, showError, toast } from '../dom.js';
import { clearErrors, field, input, select, showErrors } from '../forms.js';
import { deferSentence, num, when } from '../format.js';
import { renderSubject } from '../template.js';

const MAX_TO = 10;
const ON_ITS_WAY = new Set(['queued', 'sending']);
const POLL_MS = 2000;
const DEFERRED_POLL_MS = 15000;
const PICKABLE = 100;
const LISTED = 20;

const who = r => (r.name ? `${r.name} <${r.email}>` : r.email);

/** {el, stop}: the card for campaign c (its subject and sender's zone tz). */
export function campaignProof(c, tz) {
  const as = select({ id: 'proof-as', name: 'recipient_id' }, [['', 'Loading recipients…']]);
  const to = input({ id: 'proof-to', name: 'test_to', type: 'text', autocomplete: 'email', spellcheck: 'false',
    placeholder: 'you@example.com, boss@example.com' });
  const subject = h('strong', { id: 'proof-subject' });
  const list = h('ul', { class: 'proof-list', id: 'test-email-list', 'aria-live': 'polite' });
  const more = h('p', { class: 'muted small', hidden: true });
  const recipients = new Map();
  let timer = null;
  let stopped = false;

  const form = h('div', { class: 'stack' },
    field('Rendered with the data of', as, { name: 'recipient_id', hint: 'Its {{name}}, {{email}} and {{vars.…}} fill the placeholders.' }),
    field(`Send to (up to ${MAX_TO} addresses)`, to, { name: 'to', hint: 'Separate addresses with commas or spaces.' }),
    h('p', { class: 'small' }, 'Subject: ', subject));

  function showSubject() {
    const r = recipients.get(Number(as.value));
    subject.textContent = renderSubject(c.subject, r || { email: '', name: '', vars: {} }) || '(no subject)';
  }

  async function loadRecipients() {
    const r = await get(`/api/campaigns/${c.id}/recipients?limit=${PICKABLE}`);
    for (const x of r.items) recipients.set(x.id, x);
    fill(as, r.items.length ? r.items.map(x => h('option', { value: x.id }, who(x)))
      : h('option', { value: '' }, 'No recipients: placeholders render empty'));
    if (r.next_cursor) as.append(h('option', { value: '', disabled: true }, `Only the first ${PICKABLE} are listed`));
    showSubject();
  }

  function detail(t) {
    if (t.status === 'sent') return [`Sent ${when(t.sent_at)}`, t.message_id ? h('span', { class: 'mono' }, ` · ${t.message_id}`) : null];
    if (t.status === 'failed') return h('span', { class: 'break-word' }, t.last_error || 'The mail server refused it.');
    if (t.status === 'deferred') return deferSentence(t.defer_reason, t.deferred_until, tz);
    if (t.status === 'uncertain') return 'The connection broke after the message was written: it may have arrived.';
    return 'Waiting for a worker to send it…';
  }

  function item(t) {
    const r = recipients.get(t.recipient_id);
    return h('li', { 'data-test-email-id': t.id, 'data-status': t.status },
      h('div', { class: 'proof-line' }, h('span', { 'data-test-email-status': t.status }, badge(t.status)), ' ',
        h('strong', { class: 'break-word' }, t.to), h('span', { class: 'muted small' }, ` · ${when(t.created_at)}`)),
      h('div', { class: 'small muted' }, r ? ['as ', who(r), ' — “', renderSubject(c.subject, r), '”']
        : t.recipient_id ? `as recipient #${t.recipient_id}` : 'with placeholders empty'),
      h('div', { class: 'small' }, detail(t)));
  }

  async function loadList() {
    clearTimeout(timer);
    const r = await get(`/api/test-emails?campaign_id=${c.id}&limit=${LISTED}`);
    if (stopped) return;
    fill(list, r.items.length ? r.items.map(item) : h('li', { class: 'muted small' }, 'No test emails yet.'));
    more.hidden = !r.next_cursor;
    more.textContent = `The latest ${LISTED} are shown.`;
    const waiting = r.items.some(t => ON_ITS_WAY.has(t.status)) ? POLL_MS
      : r.items.some(t => t.status === 'deferred') ? DEFERRED_POLL_MS : null;
    if (waiting) timer = setTimeout(() => loadList().catch(showError), waiting);
  }

  const send = actionButton({ class: 'btn btn-primary', 'data-action': 'send-test' }, 'Send test', async () => {
    clearErrors(form);
    const addresses = to.value.split(/[\s,;]+/).filter(Boolean);
    const problem = !addresses.length ? 'Give at least one address.'
      : addresses.length > MAX_TO ? `At most ${MAX_TO} addresses at once (${num(addresses.length)} given).` : null;
    if (problem) {
      showErrors(form, [{ field: 'to', message: problem }]);
      return;
    }
    try {
      await post('/api/test-emails', { campaign_id: c.id, recipient_id: as.value ? Number(as.value) : null, to: addresses });
    } catch (e) {
      if (e.status === 400) {
        // "to[3]" names the fourth address: say which one.
        showErrors(form, e.errors.map(x => {
          const m = /^to\[(\d+)\]$/.exec(x.field || '');
          return m ? { field: 'to', message: `${addresses[Number(m[1])]} ${x.message}` } : x;
        }));
      }
      throw e;
    }
    toast('ok', `Test email${addresses.length === 1 ? '' : 's'} queued`, `To ${addresses.join(', ')}`);
    await loadList();
  });

  as.addEventListener('change', showSubject);
  // Recipients first: the list says whom each test email was rendered as.
  loadRecipients().catch(showError).then(loadList).catch(showError);

  const el = h('section', { class: 'card', id: 'test-card' },
    h('div', { class: 'card-head' }, h('h2', null, 'Test emails')),
    h('div', { class: 'card-body stack' },
      h('p', { class: 'muted small' }, 'This campaign\'s message as one of its recipients gets it, queued like any other mail; it counts against the sender\'s limits.'),
      form, h('div', null, send),
      h('h3', { class: 'small' }, 'Sent for this campaign'), list, more));
  return { el, stop: () => { stopped = true; clearTimeout(timer); } };
}
