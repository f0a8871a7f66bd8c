// Live progress of one campaign: the SSE stream when the server offers it (each event triggers a fresh
// progress read, throttled), else — or after the stream drops — polling /progress every 2 s. Finished
// campaigns are re-read every 10 s (retry-uncertain can bring them back). While the API cannot be reached the
// mode is 'offline' and polling goes on, so the page catches up by itself when it answers again.
import { get, isUnreachable, openEventStream } from './api.js';

const POLL_MS = 2000;
const SAFETY_MS = 15000;
const FINAL_MS = 10000;
const RETRY_SSE_MS = 30000;
const FINAL = new Set(['sent', 'completed_with_errors', 'cancelled']);

export class LiveProgress {
  /** onProgress(progress), onMode('live' | 'polling' | 'idle' | 'offline'), onEvent(type, data). */
  constructor(campaignId, { onProgress, onMode, onEvent, onError }) {
    this.id = campaignId;
    this.cb = { onProgress, onMode, onEvent, onError };
    this.stopped = false;
    this.abort = null;
    this.timer = null;
    this.pending = null;
    this.mode = null;
    this.offline = false;
    this.lastSseTry = 0;
  }

  async start() {
    const p = await this.refresh();
    if (p && !FINAL.has(p.status)) this.connect();
    else this.schedule();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.pending);
    if (this.abort) this.abort.abort();
  }

  setMode(m) {
    if (this.mode !== m) { this.mode = m; this.cb.onMode?.(m); }
  }

  async refresh() {
    if (this.stopped) return null;
    try {
      const p = await get(`/api/campaigns/${this.id}/progress`);
      this.offline = false;
      if (!this.stopped) this.cb.onProgress(p);
      this.status = p.status;
      return p;
    } catch (e) {
      this.offline = isUnreachable(e);
      if (this.offline) this.setMode('offline');
      if (!this.stopped) this.cb.onError?.(e);
      return null;
    }
  }

  /** Re-reads progress now (after a button press) and keeps the current mode. */
  async kick() {
    const p = await this.refresh();
    if (p && !FINAL.has(p.status) && this.mode !== 'live' && Date.now() - this.lastSseTry > 2000) this.connect();
    return p;
  }

  connect() {
    if (this.stopped || this.abort) return;
    this.lastSseTry = Date.now();
    this.abort = new AbortController();
    openEventStream(`/api/campaigns/${this.id}/events`, (type, data) => this.onSse(type, data), this.abort.signal)
      .catch(() => { /* no stream: fall back to polling below */ })
      .finally(() => {
        this.abort = null;
        if (!this.stopped) this.schedule();
      });
  }

  onSse(type, data) {
    if (type === 'open') {
      this.setMode('live');
      this.schedule();
      return;
    }
    this.cb.onEvent?.(type, data);
    if (!this.pending) {
      this.pending = setTimeout(() => { this.pending = null; this.refresh(); }, 400);
    }
  }

  schedule() {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const final = FINAL.has(this.status);
    const live = this.abort !== null && this.mode === 'live';
    if (!live) this.setMode(this.offline ? 'offline' : final ? 'idle' : 'polling');
    const ms = final ? FINAL_MS : live ? SAFETY_MS : POLL_MS;
    this.timer = setTimeout(async () => {
      const p = await this.refresh();
      if (p && !FINAL.has(p.status) && !this.abort && Date.now() - this.lastSseTry > RETRY_SSE_MS) this.connect();
      else this.schedule();
    }, ms);
  }
}
