// Numbers, times and the plain-words sentences for defer reasons.

const NUM = new Intl.NumberFormat('en-GB');

export const num = n => (n === null || n === undefined ? '—' : NUM.format(n));
export const pct = p => `${(p || 0).toFixed((p || 0) % 1 === 0 || p >= 10 ? 0 : 1)}%`;

/** "Moscow time" for Europe/Moscow, "New York time" for America/New_York, "UTC" for UTC. */
export function zoneLabel(tz) {
  if (!tz || /^(Etc\/)?(UTC|GMT|Z|Zulu|Universal)$/i.test(tz)) return 'UTC';
  const city = tz.split('/').pop().replaceAll('_', ' ');
  return `${city} time`;
}

function parts(date, tz, opts) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz || undefined, ...opts }).format(date);
}

function sameDay(a, b, tz) {
  const o = { year: 'numeric', month: '2-digit', day: '2-digit' };
  return parts(a, tz, o) === parts(b, tz, o);
}

/**
 * "17:00 Moscow time" when the instant is today in tz, "Tue 25 Nov, 09:00 Moscow time" otherwise.
 * With withDayWord, today's times read "today at 17:00 Moscow time" and tomorrow's "tomorrow at …".
 */
export function zoned(iso, tz, withDayWord) {
  if (!iso) return '';
  const d = new Date(iso);
  const now = new Date();
  const time = parts(d, tz, { hour: '2-digit', minute: '2-digit', hour12: false });
  const zone = zoneLabel(tz);
  if (sameDay(d, now, tz)) return withDayWord ? `today at ${time} ${zone}` : `${time} ${zone}`;
  if (withDayWord && sameDay(d, new Date(now.getTime() + 86400000), tz)) return `tomorrow at ${time} ${zone}`;
  const day = parts(d, tz, { weekday: 'short', day: 'numeric', month: 'short' });
  return withDayWord ? `${day} at ${time} ${zone}` : `${day}, ${time} ${zone}`;
}

/** A timestamp in the browser's zone: "14:03:12" today, "24 Nov, 14:03" otherwise. */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (sameDay(d, new Date())) return parts(d, undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return parts(d, undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** "in 42 min", "in 3 h 5 min", "2 min ago". */
export function relative(iso) {
  if (!iso) return '';
  const mins = Math.round((new Date(iso).getTime() - Date.now()) / 60000);
  const abs = Math.abs(mins);
  let text;
  if (abs < 1) return 'now';
  if (abs < 60) text = `${abs} min`;
  else if (abs < 48 * 60) text = `${Math.floor(abs / 60)} h${abs % 60 ? ` ${abs % 60} min` : ''}`;
  else text = `${Math.round(abs / 1440)} days`;
  return mins > 0 ? `in ${text}` : `${text} ago`;
}

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
 * The defer reason and its end in plain words, the time in the sender's zone:
 * "Waiting for the hourly limit — resumes at 17:00 Moscow time." With the relay's named fault (the sender's
 * last_fault) a relay wait says what is wrong: "The mail server could not be reached: connection refused — …".
 */
export function deferSentence(code, untilIso, tz, fault) {
  if (!code) return '';
  const [known, verb] = REASONS[code] || [reasonTitle(code), 'resumes'];
  const title = relayWait(code, fault) || known;
  if (code === 'paused_by_user') return `${title} — it resumes when someone presses Resume.`;
  if (code === 'smtp_disabled' && !untilIso) return `${title} — it waits until an admin enables SMTP.`;
  if (!untilIso) return `${title}.`;
  const at = zoned(untilIso, tz, false);
  const d = new Date(untilIso);
  const today = sameDay(d, new Date(), tz);
  return `${title} — ${verb} ${today ? 'at' : 'on'} ${at}.`;
}
