// Campaign list: status filter chips, a progress bar and counts per campaign, newest first, paged.
import { get, qs } from '../api.js';
import { badge, empty, fill, h, label, loading, progressBar, showError } from '../dom.js';
import { num, pct, relative, when } from '../format.js';
import { state } from '../state.js';

const FILTERS = ['', 'draft', 'queued', 'processing', 'deferred', 'paused', 'sent', 'completed_with_errors', 'cancelled'];
const REFRESH_MS = 5000;

function row(c, senderName) {
  const counts = [
    `${num(c.sent)} sent`,
    c.failed ? `${num(c.failed)} failed` : null,
    c.uncertain ? `${num(c.uncertain)} uncertain` : null,
    `${num(c.pending + c.sending)} pending`,
  ].filter(Boolean).join(' · ');
  const open = () => { location.hash = `#/campaigns/${c.id}`; };
  return h('tr', { class: 'clickable', 'data-campaign-id': c.id, onclick: e => { if (!e.target.closest('a')) open(); } },
    h('td', { class: 'primary', 'data-label': 'Campaign' },
      h('a', { class: 'title', href: `#/campaigns/${c.id}` }, c.name),
      h('div', { class: 'sub wrap' }, c.subject)),
    h('td', { 'data-label': 'Status' }, badge(c.status)),
    h('td', { 'data-label': 'Progress' }, h('div', { class: 'progress-cell' }, progressBar(c), h('span', { class: 'pct' }, pct(c.progress_pct)))),
    h('td', { 'data-label': 'Recipients' }, h('div', null, h('div', null, `${num(c.total)} total`), h('div', { class: 'sub wrap' }, counts))),
    h('td', { 'data-label': 'Sender', class: 'hide-sm' }, senderName(c.sender_id)),
    h('td', { 'data-label': 'Created', class: 'muted hide-sm' }, relative(c.created_at), h('div', { class: 'sub wrap' }, when(c.created_at))));
}

export async function render(main, { query }) {
  const status = query.get('status') || '';
  const chips = h('nav', { class: 'chips', 'aria-label': 'Filter by status' },
    FILTERS.map(f => h('a', { class: `chip${f === status ? ' active' : ''}`, href: f ? `#/campaigns?status=${f}` : '#/campaigns',
      'data-filter': f || 'all', 'aria-current': f === status ? 'page' : null }, f ? label(f) : 'All')));
  const body = h('div', { class: 'card' }, loading('Loading campaigns…'));
  fill(main,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Campaigns'), h('p', { class: 'sub' }, 'Everything that was written, queued or sent, newest first.')),
      state.can('operator') ? h('div', { class: 'page-actions' }, h('a', { class: 'btn btn-primary', href: '#/campaigns/new', id: 'new-campaign' }, '+ New campaign')) : null),
    chips, body);

  let senders = [];
  const senderName = id => senders.find(s => s.id === id)?.name || `#${id}`;
  let pages = 1;
  let cursor = null;
  let timer = null;
  const tbody = h('tbody');
  const more = h('button', { class: 'btn btn-sm', type: 'button', id: 'load-more' }, 'Load more');
  const pager = h('div', { class: 'pager' }, h('span', { class: 'muted small', id: 'list-count' }), more);

  const load = async (after) => get(`/api/campaigns${qs({ status, cursor: after, limit: 25 })}`);

  const first = async () => {
    const page = await load(null);
    if (!body.isConnected) return;
    if (!page.items.length) {
      fill(body, empty('inbox', status ? `No ${label(status).toLowerCase()} campaigns` : 'No campaigns yet',
        status ? 'Try another filter, or show all campaigns.' : 'Write your first campaign: a subject, a body and a list of recipients.',
        state.can('operator') && !status ? h('a', { class: 'btn btn-primary', href: '#/campaigns/new' }, 'New campaign') : null));
      return;
    }
    fill(tbody, page.items.map(c => row(c, senderName)));
    cursor = page.next_cursor;
    if (!tbody.isConnected) {
      fill(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table stack-sm', id: 'campaign-table' },
        h('thead', null, h('tr', null, ['Campaign', 'Status', 'Progress', 'Recipients', 'Sender', 'Created'].map(t => h('th', null, t)))),
        tbody)), pager);
    }
    more.hidden = !cursor;
    pager.firstChild.textContent = `${tbody.children.length} shown`;
  };

  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const page = await load(cursor);
      tbody.append(...page.items.map(c => row(c, senderName)));
      cursor = page.next_cursor;
      pages++;
      more.hidden = !cursor;
      pager.firstChild.textContent = `${tbody.children.length} shown`;
    } catch (e) {
      showError(e);
    } finally {
      more.disabled = false;
    }
  });

  try {
    senders = await state.senders();
  } catch (e) {
    showError(e);
  }
  await first();
  const tick = () => {
    timer = setTimeout(async () => {
      if (pages === 1 && document.visibilityState === 'visible') {
        try { await first(); } catch { /* next tick retries */ }
      }
      if (body.isConnected) tick();
    }, REFRESH_MS);
  };
  tick();
  return () => clearTimeout(timer);
}
