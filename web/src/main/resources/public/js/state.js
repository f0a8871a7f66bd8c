// Who is signed in, and a small cache of senders (names and time zones) shared by the pages.
import { get } from './api.js';

const RANK = { viewer: 0, operator: 1, admin: 2 };

export const state = {
  me: null,

  /** True when the signed-in key has at least this role. */
  can(role) {
    return !!this.me && (RANK[this.me.role] ?? -1) >= RANK[role];
  },

  sendersAt: 0,
  sendersCache: null,

  /** GET /api/senders, cached for 30 s (pass fresh to reload). */
  async senders(fresh) {
    if (fresh || !this.sendersCache || Date.now() - this.sendersAt > 30000) {
      this.sendersCache = (await get('/api/senders')).items;
      this.sendersAt = Date.now();
    }
    return this.sendersCache;
  },

  /** One sender; one the cache does not know yet (added since) is worth a fresh read. */
  async sender(id) {
    const find = list => list.find(s => s.id === Number(id)) || null;
    return find(await this.senders()) || find(await this.senders(true));
  },
};

/** The zone a sender's times are shown in: its window's, else its quota zone, else UTC. */
export const senderZone = s => (s && ((s.window && s.window.timezone) || s.quota_timezone)) || 'UTC';
