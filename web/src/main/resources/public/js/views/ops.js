// Ops dashboard: GET /api/poll for each sender, made visible — SMTP on or off and how its mail server last
// answered (with "Test connection"), the active campaign, the queue with next start times and why it waits,
// hourly and monthly quota gauges. Refreshes every 5 s. When a campaign may send is told in its sender's zone
// (with the viewer's time beside it); what happened, in the viewer's zone.
import { del, get, qs } from '../api.js';
import { actionButton, badge, empty, fill, h, loading, progressBar, s, showError } from '../dom.js';
import { deferSentence, faultTitle, num, pct, reasonTitle, relative, viewerAside, viewerZone, when, whenRel, zoneLabel, zoned } from '../format.js';
import { connectionLine, connectionTest } from '../relay.js';
import { state, senderZone } from '../state.js';

const REFRESH_MS = 5000;

function ring(used, limit) {
  const r = 26;
  const c = 2 * Math.PI * r;
  const ratio = limit > 0 ? Math.min(1, used / limit) : 0;
  const color = ratio >= 1 ? '#d9483b' : ratio >= 0.85 ? '#e0a028' : '#2f5bd3';
  return s('svg', { viewBox: '0 0 64 64', 'aria-hidden': 'true' },
    s('circle', { class: 'ring-bg', cx: 32, cy: 32, r, fill: 'none', 'stroke-width': 7 }),
    s('circle', { class: 'ring', cx: 32, cy: 32, r, fill: 'none', stroke: color, 'stroke-width': 7, 'stroke-linecap': ratio > 0.04 ? 'round' : 'butt',
      'stroke-dasharray': c.toFixed(2), 'stroke-dashoffset': (c * (1 - ratio)).toFixed(2), transform: 'rotate(-90 32 32)' }),
    s('text', { x: 32, y: 36, 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 600, fill: '#1d2430' },
      limit > 0 ? `${Math.round(ratio * 100)}%` : '—'));
}

function gauge(title, used, limit, extra, resets, tz) {
  return h('div', { class: 'gauge', 'data-gauge': title.toLowerCase() }, ring(used, limit),
    h('div', null,
      h('div', { class: 'g-title' }, title),
      h('div', { class: 'g-num' }, h('strong', null, num(used)), h('span', { class: 'muted' }, ` / ${num(limit)}`)),
      extra ? h('div', { class: 'small muted' }, extra) : null,
      resets ? h('div', { class: 'small muted' }, `Resets ${zoned(resets, tz, false)} (${relative(resets)})`) : null));
}

function queueItem(c, tz) {
  const next = c.status === 'deferred'
    ? h('span', { class: 'small muted', title: deferSentence(c.defer_reason, c.deferred_until, tz) },
      `${reasonTitle(c.defer_reason)}${c.deferred_until ? ` · next try ${zoned(c.deferred_until, tz, true)} ${viewerAside(c.deferred_until, tz)}` : ''}`)
    : h('span', { class: 'small muted' }, `ready · queued ${whenRel(c.queued_at)}`);
  return h('li', { 'data-queue-campaign': c.id },
    h('div', { class: 'min-w-0' }, h('a', { href: `#/campaigns/${c.id}`, class: 'title' }, c.name), h('div', null, next)),
    h('div', { class: 'inline-row' }, h('span', { class: 'small muted nowrap' }, `${num(c.total)} rcpt`), badge(c.status)));
}

// A route (this sender, one recipient domain) whose circuit is open: its recipients wait, the rest goes.
function circuitItem(c, tz) {
  const close = state.can('operator') ? actionButton({ class: 'btn btn-sm', 'data-close-circuit': c.domain }, 'Close',
    async () => { await del(`/api/circuits/${c.sender_id}/${encodeURIComponent(c.domain)}`); item.remove(); }) : null;
  const probe = c.state === 'half_open' ? 'one probe message decides now' : `probes ${zoned(c.until, tz, true)} (${relative(c.until)})`;
  const item = h('li', { 'data-circuit': c.domain },
    h('div', { class: 'circuit-text' },
      h('strong', null, c.domain), h('span', { class: 'small muted' }, ` · ${Math.round(c.failure_rate * 100)}% of ${num(c.attempts)} failed · ${probe}`),
      c.last_reply ? h('div', { class: 'small muted reply' }, c.last_reply) : null),
    close);
  return item;
}

/** SMTP off, or how the relay last answered: never a green badge for a relay that failed last. */
function relayBadge(sender, poll) {
  if (!poll.smtp_enabled) return badge('off', 'SMTP disabled');
  const c = sender.last_connection;
  return c && c.status === 'failed' ? badge('failed', faultTitle(c.fault)) : badge('on', 'SMTP enabled');
}

/** The refusal its campaigns wait after, unless the last connection (just above it) already says the same. */
function refusalSaysMore(sender) {
  const c = sender.last_connection;
  return !!sender.last_error && (!c || c.status === 'ok' || c.fault !== sender.last_fault);
}

function senderCard(sender, poll, queue, circuits, tester) {
  const tz = senderZone(sender);
  const a = poll.active_campaign;
  const active = a
    ? h('div', { class: 'stack', id: `active-${sender.id}` },
      h('div', { class: 'spread-row' },
        h('a', { class: 'title', href: `#/campaigns/${a.id}` }, a.name), badge(a.status)),
      h('div', { class: 'progress-cell' }, progressBar(a), h('span', { class: 'pct' }, pct(a.progress_pct))),
      h('div', { class: 'small muted' }, `${num(a.sent)} sent · ${num(a.failed)} failed · ${num(a.pending)} pending`,
        a.uncertain ? ` · ${num(a.uncertain)} uncertain` : '', a.last_batch_at ? ` · last batch ${whenRel(a.last_batch_at)}` : ''))
    : h('p', { class: 'muted' }, 'Nothing is sending right now.');
  let nextStart;
  if (!poll.queued_count) nextStart = 'No campaign is waiting.';
  else if (!poll.next_campaign_at || new Date(poll.next_campaign_at) <= new Date(poll.server_time)) nextStart = 'The next campaign can start now.';
  else nextStart = `The next campaign can start ${zoned(poll.next_campaign_at, tz, true)} ${viewerAside(poll.next_campaign_at, tz)}.`;
  const q = poll.quota;
  return h('section', { class: 'card', 'data-sender-card': sender.id },
    h('div', { class: 'card-head' },
      h('div', null, h('h2', null, sender.name), h('div', { class: 'small muted' }, sender.from_email)),
      relayBadge(sender, poll)),
    h('div', { class: 'card-body' },
      h('div', { class: 'section-title mt-0' }, 'Active campaign'), active,
      h('div', { class: 'section-title' }, `Queue · ${num(poll.queued_count)} waiting`),
      poll.reason_code ? h('div', { class: 'mb-8' }, h('div', { class: 'notice notice-warn', 'data-reason': poll.reason_code },
        h('div', null, deferSentence(poll.reason_code, poll.next_run_at, tz, sender.last_fault)))) : null,
      h('p', { class: 'small mb-6' }, nextStart),
      queue.length ? h('ul', { class: 'queue-list' }, queue.map(c => queueItem(c, tz))) : null,
      circuits.length ? h('div', { class: 'section-title' }, `Open circuits · ${num(circuits.length)}`) : null,
      circuits.length ? h('ul', { class: 'queue-list', 'data-circuits': sender.id }, circuits.map(c => circuitItem(c, tz))) : null,
      h('div', { class: 'section-title' }, 'Mail server'), connectionLine(sender),
      refusalSaysMore(sender) ? h('div', { class: 'notice notice-warn mt-6', 'data-last-error': sender.id },
        h('div', null, `Its campaigns still wait after the last refusal: ${sender.last_fault ? `${faultTitle(sender.last_fault)} — ` : ''}`
          + sender.last_error)) : null,
      tester ? h('div', { class: 'mt-6' }, tester) : null,
      h('div', { class: 'section-title' }, 'Quota'),
      h('div', { class: 'gauges' },
        gauge('This hour', q.hour.used, q.hour.limit, null, q.hour.resets_at, tz),
        gauge('This month', q.month.used, q.month.limit, `${num(q.month.available)} available`, q.month.resets_at, tz))));
}

export async function render(main) {
  const grid = h('div', { class: 'grid-cards', id: 'ops-grid' }, loading('Reading the queue…'));
  const updated = h('span', { class: 'live on', id: 'ops-updated' }, h('i', { class: 'dot' }), h('span', null, ''));
  fill(main,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Ops dashboard'), h('p', { class: 'sub' }, 'What each sender is doing, what waits, and how much quota is left. '
        + `When mail may go out is in each sender's zone; the rest in ${zoneLabel(viewerZone())}.`)),
      updated),
    grid);

  // One "Test connection" per sender for the page's life: each refresh moves it into the new card, so a test
  // in progress keeps its result.
  const testers = new Map();
  const tester = id => {
    if (!state.can('operator')) return null;
    if (!testers.has(id)) testers.set(id, connectionTest(id));
    return testers.get(id);
  };

  // The dot is green only over numbers just read; after a failed refresh it says how old they are.
  let readAt = null;
  const fresh = at => {
    readAt = at;
    updated.classList.add('on');
    updated.lastChild.textContent = `Updated ${when(at, { seconds: true })}`;
  };
  const stale = () => {
    updated.classList.remove('on');
    updated.lastChild.textContent = readAt ? `Not updated since ${when(readAt, { seconds: true })}` : 'Not updated';
  };

  let timer = null;
  const refresh = async () => {
    const senders = await state.senders(true);
    if (!senders.length) {
      fill(grid, h('div', { class: 'card span-all' }, empty('senders', 'No sender yet', 'Ops shows each sender\'s queue once one exists.')));
      return;
    }
    const [queued, deferred] = await Promise.all([
      get(`/api/campaigns${qs({ status: 'queued', limit: 200 })}`), get(`/api/campaigns${qs({ status: 'deferred', limit: 200 })}`)]);
    const waiting = [...queued.items, ...deferred.items].sort((x, y) => (x.queued_at || '').localeCompare(y.queued_at || ''));
    const [polls, circuits] = await Promise.all([
      Promise.all(senders.map(sn => get(`/api/poll${qs({ sender_id: sn.id })}`))), get('/api/circuits')]);
    if (!grid.isConnected) return;
    fill(grid, senders.map((sn, i) => senderCard(sn, polls[i], waiting.filter(c => c.sender_id === sn.id),
      circuits.items.filter(c => c.sender_id === sn.id), tester(sn.id))));
    fresh(polls[0].server_time);
  };
  await refresh();
  const tick = () => {
    timer = setTimeout(async () => {
      try {
        await refresh();
      } catch (e) {
        stale();
        showError(e, 'Could not refresh the dashboard');
      }
      if (grid.isConnected) tick();
    }, REFRESH_MS);
  };
  tick();
  return () => clearTimeout(timer);
}
