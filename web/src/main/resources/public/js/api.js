// The HTTP client: Bearer key from localStorage, JSON in and out, problem+json errors as ApiError, and whether the
// API can be reached at all (connection), which the shell turns into one banner.

const KEY = 'mailroom.key';
let onUnauthorized = () => {};

/**
 * The signed-in key lives in localStorage, so a new tab of the console (same origin) is signed in too, until
 * "Sign out" clears it (in every tab: they hear the storage event). The trade-off against sessionStorage: the key
 * outlives the tab and the browser's restart, so on a shared computer one must sign out; a script running on this
 * origin could read it from either store, and the Content-Security-Policy admits only this origin's own scripts.
 */
export const session = {
  key: () => localStorage.getItem(KEY),
  save: key => localStorage.setItem(KEY, key),
  clear: () => localStorage.removeItem(KEY),
  KEY,
};

export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/**
 * Whether the API answers: a network failure or a 502/503/504 (a proxy with no web process behind it, or one
 * that cannot serve) counts as unreachable; any other answer as reachable. Listeners hear every failure while
 * unreachable (failures counts them) and the way back.
 */
export const connection = {
  reachable: true,
  failures: 0,
  lastError: null,
  lastContact: null,
  listeners: new Set(),
  listen(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  },
  record(error) {
    const was = this.reachable;
    if (error) {
      this.reachable = false;
      this.failures++;
      this.lastError = error;
    } else {
      this.reachable = true;
      this.failures = 0;
      this.lastError = null;
      this.lastContact = new Date().toISOString();
    }
    if (error || !was) for (const fn of this.listeners) fn(this);
  },
};

/** True for an error that says the API could not be reached (rather than what it answered). */
// A 503 /problems/unavailable is Mailroom's own answer (one of its stores did not answer): it is reachable, and the
// failed request is shown like any other error.
export const isUnreachable = e => e instanceof ApiError && (e.status === 0 || e.status === 502 || e.status === 504
  || (e.status === 503 && e.problem?.type !== '/problems/unavailable'));

/** An HTTP failure carrying the RFC 9457 problem (title, detail, errors, current_status). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get errors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

function headers(extra, key) {
  const h = { Accept: 'application/json', ...extra };
  const k = key === undefined ? session.key() : key;
  if (k) h.Authorization = `Bearer ${k}`;
  return h;
}

/**
 * api('GET', '/api/campaigns') → parsed JSON (null for 204).
 * opts: body (object → JSON; string/Blob/File → sent as is with opts.contentType), key, signal, cache (default no-store).
 */
export async function api(method, path, opts = {}) {
  const extra = {};
  let body = opts.body;
  if (body !== undefined && body !== null && !(body instanceof Blob) && typeof body !== 'string') {
    body = JSON.stringify(body);
    extra['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    extra['Content-Type'] = opts.contentType || 'application/json';
  }
  let res;
  try {
    res = await fetch(path, { method, headers: headers(extra, opts.key), body, signal: opts.signal, cache: opts.cache || 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    const error = new ApiError(0, { title: 'Cannot reach the server', detail: 'The Mailroom web process did not answer. Check your connection and try again.' });
    connection.record(error);
    throw error;
  }
  if (res.status === 204) {
    connection.record(null);
    return null;
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const problem = json && typeof json === 'object' ? json : { title: res.statusText || `HTTP ${res.status}`, detail: text.slice(0, 300) };
    const error = new ApiError(res.status, problem);
    connection.record(isUnreachable(error) ? error : null);
    if (res.status === 401 && opts.key === undefined) onUnauthorized(problem);
    throw error;
  }
  connection.record(null);
  return json;
}

export const get = (path, opts) => api('GET', path, opts);
export const post = (path, body, opts = {}) => api('POST', path, { ...opts, body: body === undefined ? '' : body });
export const patch = (path, body, opts = {}) => api('PATCH', path, { ...opts, body });
export const del = (path, opts) => api('DELETE', path, opts);

/** Query string from an object, leaving out empty values. */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Opens the Server-Sent Events stream at path with the Bearer key (EventSource cannot send one). */
export async function openEventStream(path, onEvent, signal) {
  const res = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal, cache: 'no-store' });
  const type = res.headers.get('Content-Type') || '';
  if (!res.ok || !type.includes('text/event-stream') || !res.body) {
    try { await res.body?.cancel(); } catch { /* already closed */ }
    throw new ApiError(res.status, { title: 'No live stream', detail: `events answered ${res.status}` });
  }
  onEvent('open', null);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value.replace(/\r\n?/g, '\n');
    let cut;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        const val = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
        if (field === 'event') event = val;
        else if (field === 'data') data.push(val);
      }
      if (data.length) {
        let parsed = null;
        try { parsed = JSON.parse(data.join('\n')); } catch { parsed = { raw: data.join('\n') }; }
        onEvent(event, parsed);
      }
    }
  }
}
