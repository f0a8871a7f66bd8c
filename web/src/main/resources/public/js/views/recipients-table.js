// A campaign's recipients: status filter, cursor pages (previous pages remembered), and each
// recipient's delivery timeline on click.
import { get, qs } from '../api.js';
import { badge, empty, fill, h, label, loading, showError } from '../dom.js';
import { faultTitle, when } from '../format.js';

const STATUSES = ['', 'pending', 'sending', 'sent', 'failed', 'uncertain', 'suppressed'];
const PAGE = 25;

function timeline(items) {
  if (!items.length) return h('p', { class: 'muted small pt-10' }, 'No delivery attempts yet.');
  const given = items.some(a => a.counted === false)
    ? h('p', { class: 'muted small' }, 'Tries that failed at the mail server before reaching this recipient are not counted in its attempts.')
    : null;
  return h('div', null, given, h('ol', { class: 'timeline', 'data-timeline': '' }, items.map(a => {
    const kind = a.outcome === 'sent' ? 'ok' : /fail|reject|bounce/.test(a.outcome || '') ? 'bad' : 'warn';
    // A try the relay refused (or never made) is given back: it is listed, but not numbered with the counted ones.
    const head = a.counted === false ? 'Not counted' : `Attempt ${a.attempt_no}`;
    return h('li', { class: kind, 'data-counted': String(a.counted !== false) },
      h('div', null, h('strong', null, head), ' · ', badge(a.outcome || 'pending', label(a.outcome || 'unknown')),
        a.fault ? h('span', { 'data-fault': a.fault }, ` · ${faultTitle(a.fault)}`) : null,
        a.smtp_code && !(a.reply || '').startsWith(String(a.smtp_code)) ? h('span', { class: 'mono' }, ` ${a.smtp_code}`) : null),
      a.reply ? h('div', { class: 'mono small break-word' }, a.reply) : null,
      h('div', { class: 'when' }, when(a.attempted_at, { seconds: true }),
        a.duration_ms !== null && a.duration_ms !== undefined ? ` · ${a.duration_ms} ms` : '',
        a.worker_id ? ` · on ${a.worker_id}` : ''));
  })));
}

export function recipientsTable(campaignId) {
  let status = '';
  let cursors = [null];
  let page = 0;
  let next = null;
  let dirty = false;
  const tbody = h('tbody');
  const filter = h('select', { class: 'input select-compact', id: 'recipient-filter', 'aria-label': 'Recipient status' },
    STATUSES.map(s => h('option', { value: s }, s ? label(s) : 'All statuses')));
  const prev = h('button', { class: 'btn btn-sm', type: 'button', id: 'recipients-prev' }, '← Previous');
  const nextBtn = h('button', { class: 'btn btn-sm', type: 'button', id: 'recipients-next' }, 'Next →');
  const refresh = h('button', { class: 'btn btn-sm', type: 'button', id: 'recipients-refresh' }, 'Refresh');
  const info = h('span', { class: 'muted small' });
  const body = h('div', null, loading('Loading recipients…'));
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'table stack-sm', id: 'recipient-table' },
    h('thead', null, h('tr', null, ['Recipient', 'Status', 'Attempts', 'Last error', 'Last attempt', 'Sent'].map(t => h('th', null, t)))),
    tbody));

  function row(r) {
    const tr = h('tr', { class: 'clickable', 'data-recipient-id': r.id, title: 'Show the delivery timeline', tabindex: 0 },
      h('td', { class: 'primary', 'data-label': 'Recipient' }, h('div', { class: 'title' }, r.email), r.name ? h('div', { class: 'sub' }, r.name) : null),
      h('td', { 'data-label': 'Status' }, badge(r.status)),
      h('td', { 'data-label': 'Attempts', class: 'num' }, String(r.attempts)),
      h('td', { 'data-label': 'Last error' }, r.last_error ? h('span', { class: 'sub inline-block', title: r.last_error }, r.last_error) : h('span', { class: 'faint' }, '—')),
      h('td', { 'data-label': 'Last attempt', class: 'muted' }, when(r.attempted_at)),
      h('td', { 'data-label': 'Sent', class: 'muted' }, when(r.sent_at)));
    const toggle = async () => {
      const open = tr.nextElementSibling && tr.nextElementSibling.classList.contains('detail');
      if (open) { tr.nextElementSibling.remove(); tr.classList.remove('expanded'); return; }
      const cell = h('td', { class: 'detail-cell', colspan: 6 }, loading('Loading the timeline…'));
      tr.classList.add('expanded');
      tr.after(h('tr', { class: 'detail' }, cell));
      try {
        const res = await get(`/api/campaigns/${campaignId}/recipients/${r.id}/attempts`);
        fill(cell, h('div', { class: 'small muted pt-10' }, r.message_id ? `Message-ID ${r.message_id}` : null), timeline(res.items));
      } catch (e) {
        fill(cell, h('p', { class: 'field-error' }, e.problem?.detail || e.message));
      }
    };
    tr.addEventListener('click', toggle);
    tr.addEventListener('keydown', e => { if (e.key === 'Enter') toggle(); });
    return tr;
  }

  async function load() {
    const res = await get(`/api/campaigns/${campaignId}/recipients${qs({ status, cursor: cursors[page], limit: PAGE })}`);
    next = res.next_cursor;
    dirty = false;
    if (!res.items.length && page === 0) {
      fill(body, empty('inbox', status ? `No ${label(status).toLowerCase()} recipients` : 'No recipients yet',
        status ? 'Pick another status to see more.' : 'Add recipients to this campaign through the API or a new campaign.'));
      return;
    }
    fill(tbody, res.items.map(row));
    fill(body, table);
    prev.disabled = page === 0;
    nextBtn.disabled = !next;
    info.textContent = `Page ${page + 1}`;
  }

  const reload = () => load().catch(showError);
  filter.addEventListener('change', () => { status = filter.value; cursors = [null]; page = 0; reload(); });
  prev.addEventListener('click', () => { if (page > 0) { page--; reload(); } });
  nextBtn.addEventListener('click', () => { if (next) { cursors[page + 1] = next; page++; reload(); } });
  refresh.addEventListener('click', reload);

  const el = h('section', { class: 'card', id: 'recipients-card' },
    h('div', { class: 'card-head' }, h('h2', null, 'Recipients'),
      h('div', { class: 'page-actions fit' }, filter, refresh)),
    body,
    h('div', { class: 'pager' }, info, h('div', { class: 'page-actions fit' }, prev, nextBtn)));

  // Counts moved: refresh the first page now and then (not while someone reads a timeline or another page).
  const timer = setInterval(() => {
    if (dirty && page === 0 && !tbody.querySelector('tr.detail')) reload();
  }, 5000);

  return {
    el,
    load,
    changed: () => { dirty = true; },
    stop: () => clearInterval(timer),
  };
}
