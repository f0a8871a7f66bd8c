// API reference: the served OpenAPI document (GET /api/openapi.json, the same the HTTP API gives any client)
// rendered as operations grouped by tag, each with its method, path, roles, parameters, request and response
// fields. Everything is built from the document here: nothing outside this origin loads under the CSP.
import { get } from '../api.js';
import { fill, h, icon } from '../dom.js';
import { fields, operationsByTag, resolve, rolesOf, typeOf } from '../openapi.js';

const DOCUMENT = '/api/openapi.json';

function roleBadges(op) {
  const roles = rolesOf(op);
  if (!roles.length) return [h('span', { class: 'badge plain role-public' }, 'no key')];
  return roles.map(r => h('span', { class: `badge plain role-${r}` }, r));
}

function fieldTable(rows, id) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table fields stack-sm', 'data-fields': id },
    h('thead', null, h('tr', null, ['Field', 'Type', 'Description'].map(t => h('th', null, t)))),
    h('tbody', null, rows.map(r => h('tr', { 'data-field': r.name },
      h('td', { class: 'mono field-name primary' }, r.name, r.required ? h('span', { class: 'req', title: 'required' }, ' *') : null),
      h('td', { class: 'mono field-type', 'data-label': 'Type' }, r.type),
      r.note ? h('td', { class: 'muted', 'data-label': 'Description' }, r.note) : h('td', { class: 'muted hide-sm' }))))));
}

/** One content type of a request or response: its fields, or its type when it is not an object. */
function content(doc, media, schema, id) {
  const rows = fields(doc, schema);
  return h('div', { class: 'media' },
    h('div', { class: 'media-type mono small' }, media, rows.length ? null : ` — ${typeOf(doc, schema)}`),
    rows.length ? fieldTable(rows, id) : null);
}

function parameters(doc, list) {
  if (!list.length) return null;
  return h('div', { class: 'op-part' }, h('h4', null, 'Parameters'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table fields stack-sm', 'data-params': '' },
      h('thead', null, h('tr', null, ['Name', 'In', 'Type', 'Description'].map(t => h('th', null, t)))),
      h('tbody', null, list.map(p => {
        const schema = resolve(doc, p.schema || {});
        const words = [p.description, schema.default !== undefined ? `Default ${JSON.stringify(schema.default)}.` : null]
          .filter(Boolean).join(' ');
        return h('tr', { 'data-param': p.name },
          h('td', { class: 'mono field-name primary' }, p.name, p.required ? h('span', { class: 'req', title: 'required' }, ' *') : null),
          h('td', { class: 'muted', 'data-label': 'In' }, p.in),
          h('td', { class: 'mono field-type', 'data-label': 'Type' }, typeOf(doc, p.schema || {})),
          words ? h('td', { class: 'muted', 'data-label': 'Description' }, words) : h('td', { class: 'muted hide-sm' }));
      })))));
}

function requestBody(doc, op) {
  const body = resolve(doc, op.requestBody);
  if (!body.content) return null;
  return h('div', { class: 'op-part', 'data-request': '' }, h('h4', null, body.required ? 'Request body' : 'Request body (optional)'),
    Object.entries(body.content).map(([media, c]) => content(doc, media, c.schema || {}, `request ${media}`)));
}

function responses(doc, op) {
  return h('div', { class: 'op-part' }, h('h4', null, 'Responses'),
    h('ul', { class: 'responses' }, Object.entries(op.responses || {}).map(([status, raw]) => {
      const r = resolve(doc, raw);
      const success = status.startsWith('2') || status.startsWith('3');
      const headers = Object.keys(r.headers || {});
      return h('li', { 'data-status': status },
        h('div', { class: 'response-head' },
          h('span', { class: `status ${success ? 'status-ok' : 'status-problem'}` }, status),
          h('span', null, r.description || ''),
          headers.length ? h('span', { class: 'muted small' }, ` Headers: ${headers.join(', ')}.`) : null),
        // Problems share one shape (shown once, at the top); successes show their own fields.
        success ? Object.entries(r.content || {}).map(([media, c]) => content(doc, media, c.schema || {}, `${status} ${media}`))
          : Object.keys(r.content || {}).map(media => h('div', { class: 'media-type mono small' }, media)));
    })));
}

function operation(doc, { method, path, op, parameters: params }) {
  const id = `${method.toUpperCase()} ${path}`;
  const eventData = op['x-event-data'];
  const search = [id, op.summary, op.operationId, ...rolesOf(op), ...params.map(p => p.name)].join(' ').toLowerCase();
  return h('details', { class: 'op', 'data-op': id, 'data-operation-id': op.operationId, 'data-search': search },
    h('summary', { class: 'op-summary' },
      h('span', { class: `method method-${method}` }, method.toUpperCase()),
      h('span', { class: 'op-path mono' }, path),
      h('span', { class: 'op-title muted' }, op.summary || ''),
      h('span', { class: 'op-roles', 'data-roles': rolesOf(op).join(' ') }, roleBadges(op))),
    h('div', { class: 'op-body' },
      op.description ? h('p', { class: 'op-description' }, op.description) : null,
      parameters(doc, params),
      requestBody(doc, op),
      responses(doc, op),
      eventData ? h('div', { class: 'op-part' }, h('h4', null, 'Event data'), content(doc, 'application/json', eventData, 'event data')) : null));
}

function intro(doc) {
  const schemes = Object.entries(doc.components?.securitySchemes || {});
  return h('section', { class: 'card mb-16', id: 'api-conventions' },
    h('div', { class: 'card-body stack' },
      doc.info?.description ? h('p', null, doc.info.description) : null,
      h('div', null, h('h3', { class: 'mb-6' }, 'Authentication'),
        h('ul', { class: 'plain-list' }, schemes.map(([name, s]) => h('li', null,
          h('span', { class: 'mono' }, `Authorization: ${s.scheme === 'bearer' ? 'Bearer' : s.scheme} …`), ` (${name}) — ${s.description || ''}`))),
        h('p', { class: 'muted small mt-6' }, 'Roles: admin covers operator, operator covers viewer; ingest stands apart and may only report bounces.')),
      h('div', { 'data-problem': '' }, h('h3', { class: 'mb-6' }, 'Errors: application/problem+json'),
        fieldTable(fields(doc, { $ref: '#/components/schemas/Problem' }), 'problem'))));
}

function outgoingWebhooks(doc) {
  const entries = Object.entries(doc.webhooks || {}).flatMap(([name, item]) =>
    Object.entries(item).map(([method, op]) => ({ name, method, op })));
  if (!entries.length) return null;
  return h('section', { class: 'card tag-group', 'data-tag': 'Outgoing webhooks' },
    h('div', { class: 'card-head' }, h('div', null, h('h2', null, 'Outgoing webhooks'),
      h('p', { class: 'muted small' }, 'What Mailroom sends to a webhook\'s URL.'))),
    entries.map(({ name, method, op }) => operation(doc, { method, path: `(your URL) — ${name}`, op,
      parameters: (op.parameters || []).map(p => resolve(doc, p)) })));
}

export async function render(main, { query }) {
  fill(main, h('div', { class: 'loading' }, h('span', { class: 'spinner' }), ' Loading the API reference…'));
  // Revalidated with its ETag rather than fetched whole each time.
  const doc = await get(DOCUMENT, { cache: 'no-cache' });
  const groups = operationsByTag(doc);
  const filter = h('input', { class: 'input', id: 'api-filter', type: 'search', placeholder: 'Filter: path, method, role, summary…',
    'aria-label': 'Filter operations' });
  const sections = groups.map(g => h('section', { class: 'card tag-group mb-16', 'data-tag': g.tag.name },
    h('div', { class: 'card-head' }, h('div', null, h('h2', null, g.tag.name),
      g.tag.description ? h('p', { class: 'muted small' }, g.tag.description) : null),
    h('span', { class: 'muted small' }, `${g.ops.length} operation${g.ops.length === 1 ? '' : 's'}`)),
    g.ops.map(o => operation(doc, o))));
  const none = h('p', { class: 'muted', id: 'api-no-match', hidden: true }, 'No operation matches the filter.');

  filter.addEventListener('input', () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const section of sections) {
      let any = false;
      for (const op of section.querySelectorAll('details.op')) {
        const match = words.every(w => op.dataset.search.includes(w));
        op.hidden = !match;
        any ||= match;
        if (match) shown++;
      }
      section.hidden = !any;
    }
    none.hidden = shown > 0;
  });

  fill(main,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'API reference'),
        h('p', { class: 'sub' }, `${doc.info?.title || 'Mailroom'} ${doc.info?.version || ''} · OpenAPI ${doc.openapi} · `,
          h('a', { href: DOCUMENT, id: 'api-document', target: '_blank', rel: 'noopener' }, icon('code'), ' openapi.json'))),
      h('div', { class: 'page-actions api-filter' }, filter)),
    intro(doc), sections, none, outgoingWebhooks(doc));

  const wanted = query && query.get('op');
  const target = wanted && main.querySelector(`details.op[data-operation-id="${CSS.escape(wanted)}"]`);
  if (target) {
    target.open = true;
    target.scrollIntoView();
  }
  return null;
}
