// One campaign: live progress (SSE, else polling), the defer reason in plain words, lifecycle buttons
// enabled per status, pacing controls, sends per minute over its life with the estimated finish (from what
// the workers recorded), test email and the recipients table.
import { get, patch, post } from '../api.js';
import { actionButton, announce, badge, confirmDialog, fill, h, icon, label, notice, progressBar, showError, toast } from '../dom.js';
import { clearErrors, field, input, showErrors } from '../forms.js';
import { deferSentence, num, pct, relative, viewerAside, viewerZone, whenRel, zoned } from '../format.js';
import { LiveProgress } from '../live.js';
import { legend, rateChart, rateSeries } from '../chart.js';
import { confirmQueue } from '../send-window.js';
import { state, senderZone } from '../state.js';
import { campaignProof } from './campaign-proof.js';
import { recipientsTable } from './recipients-table.js';

const FINAL = new Set(['sent', 'completed_with_errors', 'cancelled']);
const ALLOWED = {
  queue: s => s === 'draft',
  pause: s => ['queued', 'processing', 'deferred'].includes(s),
  resume: s => s === 'paused',
  cancel: s => !FINAL.has(s),
  'retry-uncertain': (s, p) => p.uncertain > 0,
  'retry-failed': (s, p) => p.failed > 0 && ['sent', 'completed_with_errors', 'paused'].includes(s),
};
// What recipients did after sending (never part of total), with their rate over sent.
const REPUTATION = [
  ['bounced', 'bounce_rate', 'Bounced later'], ['complained', 'complaint_rate', 'Complaints'],
  ['unsubscribed', 'unsubscribe_rate', 'Unsubscribed'],
];

/** "Scheduled for Tue 25 Nov at 10:00 Moscow time (08:00 Berlin time, in 2 days)" while the campaign has not started. */
function scheduledLine(p, tz) {
  if (!p.send_at || p.started_at || FINAL.has(p.status) || p.status === 'processing') return null;
  if (p.status === 'deferred' && p.defer_reason === 'scheduled') return null; // the status line says it
  return h('p', { class: 'small scheduled', id: 'scheduled-for', 'data-send-at': p.send_at }, icon('info'),
    ` Scheduled for ${zoned(p.send_at, tz, true)}`,
    h('span', { class: 'muted' }, ` ${viewerAside(p.send_at, tz)}`));
}

const rateText = r => `${(100 * (r || 0)).toFixed(r && r < 0.01 ? 2 : 1)}%`;
const STATS = [
  ['sent', 'Sent', 'seg-sent'], ['failed', 'Failed', 'seg-failed'], ['pending', 'Pending', 'seg-pending'],
  ['uncertain', 'Uncertain', 'seg-uncertain'], ['suppressed', 'Suppressed', 'seg-suppressed'], ['total', 'Total', null],
];

function statusLine(p, tz, fault) {
  if (p.status === 'deferred' && p.defer_reason === 'scheduled') {
    const at = p.send_at || p.deferred_until;
    return h('div', { id: 'scheduled-for', 'data-send-at': at }, notice('info',
      h('strong', { id: 'defer-sentence', 'data-reason': p.defer_reason }, `Scheduled for ${zoned(at, tz, true)}`),
      h('span', { class: 'muted' }, ` ${viewerAside(at, tz)}`), ' — nothing is sent before then.'));
  }
  if (p.status === 'deferred' || (p.status === 'paused' && p.defer_reason)) {
    return notice(p.status === 'paused' ? 'info' : 'warn', h('strong', { id: 'defer-sentence', 'data-reason': p.defer_reason },
      deferSentence(p.defer_reason, p.status === 'paused' ? null : p.deferred_until, tz, fault)));
  }
  const text = {
    draft: 'A draft: nothing is sent until it is queued.',
    queued: 'Queued — it starts as soon as its sender is free.',
    processing: 'Sending now.',
    sent: `Finished ${p.finished_at ? zoned(p.finished_at, viewerZone(), true) : ''}: every recipient was sent or suppressed.`,
    completed_with_errors: `Finished ${p.finished_at ? zoned(p.finished_at, viewerZone(), true) : ''} with errors: see the failed${p.uncertain ? ' and uncertain' : ''} recipients below.`,
    cancelled: 'Cancelled. Pending recipients were kept for the record and will not be sent.',
  }[p.status];
  const kind = p.status === 'completed_with_errors' ? 'error' : p.status === 'sent' ? 'ok' : 'info';
  return text ? notice(kind, text) : null;
}

// ---- rates (GET /rates): counted from the attempts the workers recorded, the same whoever watches ----
const RATES_MS = 5000;
const RELAY_WAITS = new Set(['transient_error', 'smtp_auth', 'sender_refused']);
const perMinute = v => (v < 10 ? v.toFixed(1).replace(/\.0$/, '') : num(Math.round(v)));

/** "42 min", "3 h 5 min", "2 days". */
function span(ms) {
  const mins = Math.max(1, Math.round(ms / 60000));
  if (mins < 60) return `${mins} min`;
  if (mins < 48 * 60) return `${Math.floor(mins / 60)} h${mins % 60 ? ` ${mins % 60} min` : ''}`;
  return `${Math.round(mins / 1440)} days`;
}

/** "≈ 150 per minute over 1 min of sending (150 sent) · ≈ 40 per minute over the last 5 minutes". */
function rateLine(r, p) {
  if (!r.series.length) return h('span', { class: 'muted' }, p.started_at ? 'Nothing sent yet.' : 'Not started yet.');
  const first = Date.parse(r.series[0].start);
  const last = Date.parse(r.series[r.series.length - 1].start) + r.bucket_seconds * 1000;
  const sent = r.series.reduce((n, b) => n + b.sent, 0);
  return [h('strong', null, `≈ ${perMinute(r.sent_per_minute)} per minute`),
    h('span', { class: 'muted' }, ` over ${span(last - first)} of sending (${num(sent)} sent)`),
    r.recent_per_minute !== null ? h('span', null, ` · ≈ ${perMinute(r.recent_per_minute)} per minute over the last 5 minutes`) : null];
}

/** When it may finish, in the sender's zone, and what holds it back (the hourly limit, the window, its rate). */
function etaLine(r, p, tz, sender) {
  if (FINAL.has(p.status) || p.status === 'draft' || !r.remaining) return null;
  if (!r.eta) {
    const why = p.status === 'paused' ? 'while it is paused' : r.sent_per_minute === null ? 'until something was sent' : 'within a year at this rate';
    return h('p', { class: 'small muted', id: 'eta' }, `No estimated finish ${why}.`);
  }
  const held = {
    rate: 'at its recent rate',
    hourly_limit: `held back by the sender's hourly limit${sender ? ` of ${num(sender.hourly_limit)}` : ''}`,
    window: 'sending only while the sender\'s window is open',
  }[r.eta_limited_by] || '';
  return h('p', { class: 'small', id: 'eta', 'data-eta': r.eta, 'data-limited-by': r.eta_limited_by },
    h('strong', null, `Estimated finish ${zoned(r.eta, tz, true)}`), h('span', { class: 'muted' }, ` (${relative(r.eta)})`),
    ` — ${num(r.remaining)} to go, ${held}.`);
}

export async function render(main, { id }) {
  const c = await get(`/api/campaigns/${id}`);
  let sender = await state.sender(c.sender_id).catch(() => null);
  const tz = senderZone(sender);
  const canAct = state.can('operator');

  const title = h('h1', { id: 'campaign-name' }, c.name);
  const statusBadge = h('span', { id: 'campaign-status' });
  const liveTag = h('span', { class: 'live', id: 'live-mode' }, h('i', { class: 'dot' }), h('span', null, 'Connecting…'));
  const statusBox = h('div', { id: 'status-line' });
  const bar = h('div');
  const pctEl = h('span', { class: 'pct pct-lg' });
  const statEls = Object.fromEntries(STATS.map(([k]) => [k, h('div', { class: 'v', 'data-stat': k }, '—')]));
  const meta = h('div', { class: 'muted small' });
  const scheduled = h('div');
  const repEls = Object.fromEntries(REPUTATION.map(([k]) => [k, h('div', { class: 'v', 'data-rep': k }, '—')]));
  const chartBox = h('div', { id: 'rate-chart' });
  const rateSummary = h('p', { class: 'small', id: 'rate-summary' });
  const eta = h('div', { id: 'eta-box' });
  let progress = { ...c };

  // ---- lifecycle buttons ----
  const buttons = {};
  const act = (action, text, cls, ic) => {
    buttons[action] = actionButton({ class: cls, 'data-action': action }, [icon(ic), text], async () => {
      if (action === 'queue' && !(await confirmQueue({ name: c.name, total: progress.total, suppressed: progress.suppressed,
        sender, sendAt: progress.send_at }))) return;
      if (action === 'cancel' && !(await confirmDialog('Cancel this campaign?',
        'Nothing more is sent. Pending recipients are kept for the record. This cannot be undone.', 'Cancel campaign', true))) return;
      try {
        const r = await post(`/api/campaigns/${id}/${action}`);
        update({ ...progress, ...r });
        if (action === 'retry-failed') {
          toast('ok', `${num(r.retried)} failed recipient${r.retried === 1 ? '' : 's'} queued again`,
            r.retried ? null : 'Only recipients whose mailbox did not refuse them, and who are not suppressed, are retried.');
        } else {
          toast('ok', { queue: r.defer_reason === 'scheduled' ? 'Campaign scheduled' : 'Campaign queued', pause: 'Campaign paused',
            resume: 'Campaign resumed', cancel: 'Campaign cancelled', 'retry-uncertain': 'Uncertain recipients queued again' }[action]);
        }
      } catch (e) {
        if (e.status === 409 && e.problem.current_status) update({ ...progress, status: e.problem.current_status });
        throw e;
      }
      live.kick();
    });
    buttons[action].addEventListener('settled', () => enableButtons());
    return buttons[action];
  };
  const editLink = canAct ? h('a', { class: 'btn', id: 'edit-draft', href: `#/campaigns/${id}/edit` }, icon('edit'), 'Edit draft') : null;
  const actions = canAct ? h('div', { class: 'page-actions', id: 'campaign-actions' },
    editLink,
    act('queue', 'Queue', 'btn btn-primary', 'send'),
    act('pause', 'Pause', 'btn', 'pause'),
    act('resume', 'Resume', 'btn', 'play'),
    act('retry-uncertain', 'Retry uncertain', 'btn', 'retry'),
    act('retry-failed', 'Retry failed', 'btn', 'retry'),
    act('cancel', 'Cancel', 'btn btn-danger', 'stop')) : null;

  function enableButtons() {
    if (editLink) editLink.hidden = progress.status !== 'draft';
    for (const [a, b] of Object.entries(buttons)) {
      const ok = ALLOWED[a](progress.status, progress);
      b.disabled = !ok;
      if (a === 'queue' || a === 'retry-uncertain' || a === 'retry-failed') b.hidden = !ok;
    }
  }

  // ---- controls ----
  const batch = input({ name: 'batch_size', type: 'number', min: 1, max: 10000, id: 'ctl-batch' });
  const delay = input({ name: 'delay_ms', type: 'number', min: 0, max: 3600000, step: 50, id: 'ctl-delay' });
  const cool = input({ name: 'cooldown_seconds', type: 'number', min: 0, max: 86400, id: 'ctl-cooldown' });
  const setControls = ctl => { batch.value = ctl.batch_size; delay.value = ctl.delay_ms; cool.value = ctl.cooldown_seconds; };
  setControls(c.controls);
  const controlsForm = h('div', { class: 'form-grid form-grid-3' },
    field('Batch size', batch, { hint: 'Mails per batch' }),
    field('Delay (ms)', delay, { hint: 'Between two mails' }),
    field('Cooldown (s)', cool, { hint: 'Between batches' }));
  const saveControls = actionButton({ class: 'btn btn-primary btn-sm', id: 'save-controls' }, 'Apply', async () => {
    clearErrors(controlsForm);
    try {
      const r = await patch(`/api/campaigns/${id}/controls`, {
        batch_size: Number(batch.value), delay_ms: Number(delay.value), cooldown_seconds: Number(cool.value) });
      setControls(r.controls);
      toast('ok', 'Controls applied', 'They take effect at the next batch.');
    } catch (e) {
      if (e.status === 400) showErrors(controlsForm, e.errors);
      throw e;
    }
  });
  const controlsCard = h('section', { class: 'card', id: 'controls-card' },
    h('div', { class: 'card-head' }, h('h2', null, 'Pacing'), h('span', { class: 'muted small' }, 'Changes apply at the next batch')),
    h('div', { class: 'card-body' }, controlsForm),
    canAct ? h('div', { class: 'card-foot' }, saveControls) : null);
  if (!canAct) for (const i of [batch, delay, cool]) i.disabled = true;

  const proof = canAct ? campaignProof(c, tz) : null;

  const recipients = recipientsTable(id);

  fill(main,
    h('div', { class: 'page-head' },
      h('div', { class: 'min-w-0' },
        h('a', { class: 'crumb', href: '#/campaigns' }, '← Campaigns'),
        h('div', { class: 'title-row' }, title, statusBadge),
        h('p', { class: 'sub' }, h('span', { id: 'campaign-subject' }, c.subject), ' · ',
          sender ? `from ${sender.name} <${sender.from_email}>` : `sender #${c.sender_id}`)),
      actions),
    h('section', { class: 'card', id: 'progress-card' },
      h('div', { class: 'card-head' }, h('h2', null, 'Progress'), liveTag),
      h('div', { class: 'card-body stack' },
        statusBox,
        h('div', { class: 'progress-row' }, h('div', { class: 'grow' }, bar), pctEl),
        scheduled,
        meta),
      h('div', { class: 'stats' }, STATS.map(([k, t, dot]) => h('div', { class: 'stat' },
        h('div', { class: 'k' }, dot ? h('i', { class: `dot ${dot}` }) : null, t), statEls[k]))),
      h('div', { class: 'stats stats-3', id: 'reputation', role: 'group', 'aria-label': 'After sending' }, REPUTATION.map(([k, , t]) => h('div', { class: 'stat' },
        h('div', { class: 'k' }, t), repEls[k])))),
    h('div', { class: 'grid-2 mt-16' },
      h('section', { class: 'card' },
        h('div', { class: 'card-head' }, h('h2', null, 'Sends per minute'), legend()),
        h('div', { class: 'card-body pb-0' }, rateSummary, eta),
        h('div', { class: 'card-body' }, chartBox,
          h('p', { class: 'muted small mt-6' }, 'From the attempts the workers recorded, over the campaign\'s life.'))),
      h('div', { class: 'stack' }, controlsCard, proof && proof.el)),
    h('div', { class: 'mt-16' }, recipients.el));

  // The relay's named fault (the sender's last_fault) for a campaign waiting on its relay; the sender is read
  // again when such a wait begins, so the line says what is wrong now.
  let relayKey = null;
  const relayFault = p => {
    if (p.status !== 'deferred' || !RELAY_WAITS.has(p.defer_reason)) return null;
    const key = `${p.defer_reason}@${p.deferred_until}`;
    if (key !== relayKey) {
      relayKey = key;
      get(`/api/senders/${c.sender_id}`).then(sn => { sender = sn; fill(statusBox, statusLine(progress, tz, relayFault(progress))); })
        .catch(() => {});
    }
    return sender?.last_error ? sender.last_fault : null;
  };

  let ratesAt = 0;
  let ratesTimer = null;
  const loadRates = async () => {
    clearTimeout(ratesTimer);
    ratesTimer = null;
    ratesAt = Date.now();
    try {
      const r = await get(`/api/campaigns/${id}/rates`);
      const running = !FINAL.has(progress.status) && progress.status !== 'draft';
      fill(rateSummary, rateLine(r, progress));
      fill(eta, etaLine(r, progress, tz, sender));
      const bars = rateSeries(r, running);
      fill(chartBox, bars.length ? rateChart(bars, running) : null);
    } catch (e) {
      if (e.status !== 404) showError(e);
    }
  };
  // Counts moved: read again, at most every RATES_MS.
  const ratesChanged = () => {
    if (!ratesTimer) ratesTimer = setTimeout(loadRates, Math.max(0, RATES_MS - (Date.now() - ratesAt)));
  };

  function update(p) {
    const changed = p.status !== progress.status || p.sent !== progress.sent || p.failed !== progress.failed;
    if (p.status !== progress.status) announce(`${c.name}: ${label(p.status)}`);
    progress = p;
    fill(statusBadge, h('span', { class: 'badge-wrap' }, badge(p.status)));
    statusBadge.dataset.status = p.status;
    const line = statusLine(p, tz, relayFault(p));
    if ((line?.textContent || '') !== statusBox.textContent) fill(statusBox, line); // an alert in it is said once
    fill(bar, progressBar(p, true));
    pctEl.textContent = pct(p.progress_pct);
    for (const [k] of STATS) statEls[k].textContent = num(k === 'pending' ? p.pending + (p.sending || 0) : p[k]);
    for (const [k, r] of REPUTATION) {
      fill(repEls[k], num(p[k] || 0), h('span', { class: 'muted small', 'data-rate': r }, ` · ${rateText(p[r])} of sent`));
    }
    fill(scheduled, scheduledLine(p, tz));
    fill(meta, [
      p.started_at ? `Started ${whenRel(p.started_at)}` : 'Not started',
      p.last_batch_at ? ` · last batch ${whenRel(p.last_batch_at)}` : '',
      p.finished_at ? ` · finished ${whenRel(p.finished_at)}` : '',
      p.sending ? ` · ${num(p.sending)} being sent right now` : '',
    ].join(''));
    if (changed) ratesChanged();
    enableButtons();
    if (FINAL.has(p.status) && canAct) {
      for (const i of [batch, delay, cool]) i.disabled = true;
      saveControls.disabled = true;
    }
    if (changed) recipients.changed();
    document.title = `${c.name} · ${pct(p.progress_pct)} · Mailroom`;
  }

  const live = new LiveProgress(id, {
    onProgress: update,
    onMode: m => {
      liveTag.classList.toggle('on', m === 'live');
      liveTag.lastChild.textContent = { live: 'Live', polling: 'Refreshing every 2 s', idle: 'Finished', offline: 'Offline' }[m];
    },
    onError: e => { if (e.status && e.status !== 404) showError(e); },
  });
  update(progress);
  await Promise.all([recipients.load(), loadRates()]);
  await live.start();
  // The estimate moves with the clock too (the hour turns, the window opens).
  const ratesClock = setInterval(() => { if (!FINAL.has(progress.status)) ratesChanged(); }, 30000);
  return () => { live.stop(); clearInterval(ratesClock); clearTimeout(ratesTimer); recipients.stop(); proof?.stop(); };
}
