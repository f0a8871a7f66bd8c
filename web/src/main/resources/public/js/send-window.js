// A sender's sending window in words, and when a campaign queued now starts — at once, at its scheduled
// time, or when the window next opens — in the sender's zone; and the question asked before queueing.
// The window rules are the server's (core SendWindow): days name the weekday a window opens on, and a
// window whose end is not after its start spans midnight.
import { confirmDialog, h } from './dom.js';
import { num, zoneLabel, zoned } from './format.js';
import { senderZone } from './state.js';

export const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const DAY_MS = 86400000;

/** "Mon–Fri 09:00–18:00 Moscow time", "Every day 22:00–06:00 UTC", "Any time". */
export function windowText(w) {
  if (!w) return 'Any time';
  const d = [...(w.days || [])].sort();
  let days = d.map(x => DAYS[x - 1]).join(', ');
  if (d.length === 7 || d.length === 0) days = 'Every day';
  else if (d.length > 2 && d.every((x, i) => i === 0 || x === d[i - 1] + 1)) days = `${DAYS[d[0] - 1]}–${DAYS[d[d.length - 1] - 1]}`;
  return `${days} ${w.start}–${w.end} ${zoneLabel(w.timezone)}`;
}

const minutes = hhmm => { const [hh, mm] = hhmm.split(':').map(Number); return hh * 60 + mm; };

/** The wall clock in tz at instant d: ISO weekday (1 = Monday), minutes since midnight, and the date (UTC ms). */
function wall(d, tz) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hourCycle: 'h23', weekday: 'short',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .formatToParts(d).map(x => [x.type, x.value]));
  return { day: DAYS.indexOf(p.weekday) + 1, min: Number(p.hour) * 60 + Number(p.minute), date: Date.UTC(+p.year, +p.month - 1, +p.day) };
}

/** null when the window is open at instant d, else the date (UTC ms, in the window's zone) it next opens on. */
function nextOpening(w, d) {
  const at = wall(d, w.timezone || 'UTC');
  const days = w.days && w.days.length ? new Set(w.days) : null;
  const opensOn = day => !days || days.has(((day - 1 + 7) % 7) + 1);
  const start = minutes(w.start);
  const end = minutes(w.end);
  const open = end > start
    ? opensOn(at.day) && at.min >= start && at.min < end
    : (opensOn(at.day) && at.min >= start) || (opensOn(at.day - 1) && at.min < end);
  if (open) return null;
  for (let k = 0; k <= 7; k++) {
    if (opensOn(at.day + k) && (k > 0 || at.min < start)) return at.date + k * DAY_MS;
  }
  return null;
}

/** "today", "tomorrow" or "Tue 25 Nov" for a date (UTC ms) in tz. */
function dayWord(date, tz) {
  const days = Math.round((date - wall(new Date(), tz).date) / DAY_MS);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(date);
}

/**
 * When a campaign queued now starts, in words in the sender's zone: "now", "at its scheduled time, …", or
 * "when the sender's hours open: today at 09:00 Moscow time (Mon–Fri 09:00–18:00 Moscow time)".
 */
export function startsWhen(sender, sendAt) {
  const now = new Date();
  const scheduled = sendAt && new Date(sendAt) > now ? sendAt : null;
  const at = scheduled ? `at its scheduled time, ${zoned(scheduled, senderZone(sender), true)}` : null;
  if (sender && sender.enabled === false) return `when an admin switches its sender back on (sending is off for it)${at ? `, and not before ${at.slice(3)}` : ''}`;
  const w = sender && sender.window;
  const opens = w ? nextOpening(w, scheduled ? new Date(scheduled) : now) : null;
  if (opens === null) return at || 'now, as soon as a worker picks it up';
  const hours = `${dayWord(opens, w.timezone || 'UTC')} at ${w.start} ${zoneLabel(w.timezone)}`;
  return `${scheduled ? 'after its scheduled time, ' : ''}when the sender's hours open: ${hours} (its hours: ${windowText(w).replace(/^Every day/, 'every day')})`;
}

/** Asks before queueing: to how many, from whom, and when it starts. Resolves true to queue. */
export function confirmQueue({ name, total, suppressed, sender, sendAt }) {
  const from = sender ? `${sender.name} <${sender.from_email}>` : 'its sender';
  return confirmDialog(`Queue “${name}”?`, h('ul', { class: 'd-facts', id: 'queue-facts' },
    h('li', null, 'To ', h('strong', null, `${num(total)} recipient${total === 1 ? '' : 's'}`),
      suppressed ? ` (${num(suppressed)} suppressed, not sent)` : ''),
    h('li', null, 'From ', h('strong', null, from)),
    h('li', null, 'Starts ', h('strong', { id: 'queue-starts' }, startsWhen(sender, sendAt)))),
  'Queue campaign', false, 'Not yet');
}
