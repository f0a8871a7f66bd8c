// Numbers, times and the plain-words sentences for defer reasons. Every time on screen comes from here and says
// its zone: the sender's where the time decides when mail goes out (zoned, deferSentence, viewerAside), the
// viewer's everywhere else (when, whenRel, clock). The viewer's zone is the browser's unless the viewer picked
// another in the shell; the choice is remembered in this browser (localStorage).

const NUM = new Intl.NumberFormat('en-GB');
const ZONE_KEY = 'mailroom.zone';

export const num = n => (n === null || n === undefined ? '—' : NUM.format(n));
export const pct = p => `${(p || 0).toFixed((p || 0) % 1 === 0 || p >= 10 ? 0 : 1)}%`;

// ---------- zones ----------

export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** True for a zone the browser knows ("Europe/Moscow", "UTC"). */
export function isZone(tz) {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function stored() {
  try {
    return localStorage.getItem(ZONE_KEY);
  } catch {
    return null; // storage refused (a privacy mode): follow the browser
  }
}

/** The zone picked in the shell, or null when times follow the browser's zone. */
export const chosenZone = () => (isZone(stored()) ? stored() : null);

/** The zone the viewer's own times are shown in. */
export const viewerZone = () => chosenZone() || browserZone();

/** Remembers tz as the viewer's zone in this browser; null follows the browser's zone again. */
export function setViewerZone(tz) {
  try {
    if (tz) localStorage.setItem(ZONE_KEY, tz);
    else localStorage.removeItem(ZONE_KEY);
  } catch {
    /* not remembered; this page still uses it until reloaded */
  }
}

/** "Moscow time" for Europe/Moscow, "New York time" for America/New_York, "UTC" for UTC. */
export function zoneLabel(tz) {
  if (!tz || /^(Etc\/)?(UTC|GMT|Z|Zulu|Universal|UCT)$/i.test(tz)) return 'UTC';
  const city = tz.split('/').pop().replaceAll('_', ' ');
  return `${city} time`;
}

// ---------- absolute times ----------

function parts(date, tz, opts) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz || undefined, ...opts }).format(date);
}

function sameDay(a, b, tz) {
  const o = { year: 'numeric', month: '2-digit', day: '2-digit' };
  return parts(a, tz, o) === parts(b, tz, o);
}

const hm = (d, tz, seconds) => parts(d, tz, { hour: '2-digit', minute: '2-digit', second: seconds ? '2-digit' : undefined, hourCycle: 'h23' });

function day(d, tz) {
  const thisYear = parts(d, tz, { year: 'numeric' }) === parts(new Date(), tz, { year: 'numeric' });
  return parts(d, tz, { weekday: 'short', day: 'numeric', month: 'short', year: thisYear ? undefined : 'numeric' });
}

/**
 * The instant in tz, with tz said: "17:00 Moscow time" today, "Tue 25 Nov, 09:00 Moscow time" otherwise.
 * With withDayWord: "today at 17:00 Moscow time", "tomorrow at …", "Tue 25 Nov at …". opts.seconds adds seconds.
 */
export function zoned(iso, tz, withDayWord, opts = {}) {
  if (!iso) return '';
  const d = new Date(iso);
  const now = new Date();
  const time = `${hm(d, tz, opts.seconds)} ${zoneLabel(tz)}`;
  if (sameDay(d, now, tz)) return withDayWord ? `today at ${time}` : time;
  if (withDayWord && sameDay(d, new Date(now.getTime() + 86400000), tz)) return `tomorrow at ${time}`;
  return withDayWord ? `${day(d, tz)} at ${time}` : `${day(d, tz)}, ${time}`;
}

/** A moment in the viewer's zone: "14:03 Berlin time" today, "Mon 24 Nov, 14:03 Berlin time" otherwise. */
export function when(iso, opts) {
  return iso ? zoned(iso, viewerZone(), false, opts) : '—';
}

/** when() with how long ago or ahead: "14:03 Berlin time (12 min ago)". */
export function whenRel(iso) {
  return iso ? `${when(iso)} (${relative(iso)})` : '—';
}

/** "14:05" in the viewer's zone, for chart ticks whose caption says the zone (zoneLabel(viewerZone())). */
export const clock = date => hm(date, viewerZone(), false);

/**
 * What a sender-zone time is for the viewer, in parentheses: "(16:00 Berlin time, in 35 min)", or just
 * "(in 35 min)" when the viewer's zone tells the same time.
 */
export function viewerAside(iso, senderTz) {
  if (!iso) return '';
  const vz = viewerZone();
  const ms = new Date(iso).getTime();
  return offset(ms, vz) === offset(ms, senderTz) ? `(${relative(iso)})` : `(${zoned(iso, vz, false)}, ${relative(iso)})`;
}

/** "in 42 min", "in 3 h 5 min", "2 days ago", "just now". */
export function relative(iso) {
  if (!iso) return '';
  const mins = Math.round((new Date(iso).getTime() - Date.now()) / 60000);
  const abs = Math.abs(mins);
  let text;
  if (abs < 1) return 'just now';
  if (abs < 60) text = `${abs} min`;
  else if (abs < 24 * 60) text = `${Math.floor(abs / 60)} h${abs % 60 ? ` ${abs % 60} min` : ''}`;
  else {
    const days = Math.round(abs / 1440);
    text = `${days} day${days === 1 ? '' : 's'}`;
  }
  return mins > 0 ? `in ${text}` : `${text} ago`;
}

// ---------- wall times typed into a form ----------

/** Milliseconds tz is ahead of UTC at the instant ms. */
function offset(ms, tz) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hourCycle: 'h23', year: 'numeric',
    month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    .formatToParts(new Date(ms)).map(x => [x.type, Number(x.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/** A datetime-local value ("2026-11-25T09:30") read as a wall time in tz → ISO instant, or null when empty. */
export function fromZonedInput(value, tz) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || '');
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  let ms = wall - offset(wall, tz);
  ms = wall - offset(ms, tz); // again at the found instant: the offset may differ across a DST change
  return new Date(ms).toISOString();
}

/** The inverse: an ISO instant as a datetime-local value in tz ("2026-11-25T09:30"). */
export function toZonedInput(iso, tz) {
  if (!iso) return '';
  const d = new Date(new Date(iso).getTime() + offset(new Date(iso).getTime(), tz));
  return d.toISOString().slice(0, 16);
}

// ---------- why a campaign waits ----------

const REASONS = {
  outside_hours: ['Outside the sender\'s sending hours', 'resumes'],
  rate_hour: ['Waiting for the hourly limit', 'resumes'],
  quota_month: ['The monthly quota is used up', 'resumes'],
  transient_error: ['Waiting to try again after a temporary failure', 'retries'],
  circuit_open: ['Waiting for a recipient domain whose mail server refuses most of this sender\'s mail', 'retries'],
  smtp_auth: ['The mail server refuses this sender\'s username or password', 'retries'],
  sender_refused: ['The mail server refuses this sender\'s From address', 'retries'],
  scheduled: ['Scheduled', 'starts'],
  smtp_disabled: ['Sending is switched off for this sender', 'checks again'],
  paused_by_user: ['Paused by a person', null],
};

// A relay fault (GET /api/senders: last_fault, last_connection.fault; attempts' fault), in a few words.
const FAULTS = {
  unknown_host: 'Host not found (DNS)',
  connection_refused: 'Connection refused',
  connection_timeout: 'Connection timed out',
  network_unreachable: 'Network unreachable',
  tls_failed: 'TLS failed',
  not_smtp: 'Not a mail server',
  connection_closed: 'Connection closed',
  connection_lost: 'Connection lost',
  auth_refused: 'Login refused',
  sender_refused: 'Sender refused',
  smtp_reply: 'Refused by the server',
  settings_unusable: 'Settings unusable',
  connection_failed: 'Connection failed',
};

export const faultTitle = code => FAULTS[code] || (code || '').replaceAll('_', ' ');

/** Why a campaign waits for its relay, when the sender's last refusal named its fault (null: the reason says it). */
function relayWait(code, fault) {
  if (!fault || !['transient_error', 'smtp_auth', 'sender_refused'].includes(code)) return null;
  if (fault === 'settings_unusable') return 'Nothing is sent: this sender\'s settings cannot be used (see the sender)';
  if (code !== 'transient_error') return null;
  if (['smtp_reply', 'auth_refused', 'sender_refused'].includes(fault)) {
    return `The mail server turned this sender away for now (${faultTitle(fault).toLowerCase()})`;
  }
  return `The mail server could not be reached: ${faultTitle(fault).toLowerCase()}`;
}

/** Short name of a reason, for badges and lists. */
export function reasonTitle(code) {
  return REASONS[code] ? REASONS[code][0] : (code || '').replaceAll('_', ' ');
}

/**
 * The defer reason and its end in plain words, the time in the sender's zone and, beside it, the viewer's:
 * "Waiting for the hourly limit — resumes at 17:00 Moscow time (15:00 Berlin time, in 35 min)." With the relay's
 * named fault (the sender's last_fault) a relay wait says what is wrong: "The mail server could not be reached:
 * connection refused — …".
 */
export function deferSentence(code, untilIso, tz, fault) {
  if (!code) return '';
  const [known, verb] = REASONS[code] || [reasonTitle(code), 'resumes'];
  const title = relayWait(code, fault) || known;
  if (code === 'paused_by_user') return `${title} — it resumes when someone presses Resume.`;
  if (code === 'smtp_disabled' && !untilIso) return `${title} — it waits until an admin enables SMTP.`;
  if (!untilIso) return `${title}.`;
  const today = sameDay(new Date(untilIso), new Date(), tz);
  return `${title} — ${verb} ${today ? 'at' : 'on'} ${zoned(untilIso, tz, false)} ${viewerAside(untilIso, tz)}.`;
}
