// What an on-call engineer acts on: alerts grouped and sorted by severity, each linked to its
// object's page and to the job that fixes it; a dry-run preview of that fix; silencing from the
// page. The page module hands in what these need (init) so this one imports nothing of it.
import {h, clear, link, route, table, badge, empty} from './dom.js';
import * as f from './format.js';
import {summaryView} from './summary.js';

let app = null;

/**
 * deps: {api, token, operatorDialog, mayDo, whyNot, readOnly, when, severityBadge, statusBadge, reload, runNow}
 */
export function init(deps) {
  app = deps;
}

export const SEVERITY_ORDER = {critical: 0, warning: 1, info: 2};

/**
 * Within a severity, the kinds that say searches return the wrong neighbours come first: that an
 * index still answers right is what this tool is for.
 */
const SEARCH_QUALITY = ['recall-below-target', 'plan-regression', 'recall-regression', 'plan-not-using-index'];

/** Search-quality kinds first, then the rest by name. */
export function byKind(a, b) {
  const r = k => { const i = SEARCH_QUALITY.indexOf(k); return i < 0 ? SEARCH_QUALITY.length : i; };
  return r(a) - r(b) || a.localeCompare(b);
}

/** Critical first; within a severity, firing before resolving, search quality first, then target, object. */
export function bySeverity(a, b) {
  return (SEVERITY_ORDER[a.alert.severity] - SEVERITY_ORDER[b.alert.severity])
    || (a.resolving - b.resolving) || byKind(a.alert.kind, b.alert.kind)
    || a.alert.target.localeCompare(b.alert.target) || a.alert.object.localeCompare(b.alert.object);
}

/** A long message folded to its first line; the whole text one click away. */
export function folded(text, max = 160) {
  if (!text || text.length <= max) return text || '';
  const cut = text.lastIndexOf(' ', max - 20);
  return h('details', {class: 'fold'}, h('summary', null, `${text.slice(0, cut > 40 ? cut : max - 20)} …`),
    h('p', null, text));
}

/** "public.items_hnsw [application]" names the index public.items_hnsw. */
export function baseObject(object) {
  const i = object.indexOf(' [');
  return i > 0 ? object.slice(0, i) : object;
}

/** The page of a finding's object: its index page when it names a vector index, else its target's. */
export function objectLink(target, object, indexNames) {
  const base = baseObject(object);
  return indexNames && indexNames.has(base) ? h('a', {href: route('index', target, base), class: 'object'}, h('code', null, object))
    : h('a', {href: route('target', target), class: 'object'}, h('code', null, object));
}

/** The jobs on this target whose kind says it fixes findings of this kind. */
export function fixJobs(jobs, target, kind) {
  return jobs.filter(j => (j.fixes || []).includes(kind) && j.targets.includes(target));
}

/**
 * Firing alerts, grouped by target (a group per target when there are several), sorted by
 * severity; each row says whether it is resolving, links its object and its fix, and can be
 * silenced. indexNames: Map target -> Set of its vector indexes ("schema.name").
 */
export function alertsView(alerts, jobs, indexNames, opts = {}) {
  if (!alerts.length) return empty(opts.none || 'No alerts firing.');
  const byTarget = new Map();
  for (const a of alerts.slice().sort(bySeverity)) {
    if (!byTarget.has(a.alert.target)) byTarget.set(a.alert.target, []);
    byTarget.get(a.alert.target).push(a);
  }
  const groups = [...byTarget.entries()].sort((x, y) => bySeverity(x[1][0], y[1][0]));
  const tableOf = (target, list) => table([{name: 'Severity'}, {name: 'Object'}, {name: 'Kind'},
    {name: 'Message', cls: 'wide'}, {name: 'State'}, {name: 'Firing since'}, {name: 'Act'}], list.map(a => ({
    cls: [a.silenced ? 'silenced' : null, a.resolving ? 'resolving' : null].filter(Boolean).join(' ') || null,
    dataset: {alert: a.alert.id, target, kind: a.alert.kind, severity: a.alert.severity}, cells: [
      {content: app.severityBadge(a.alert.severity), sort: SEVERITY_ORDER[a.alert.severity]},
      objectLink(target, a.alert.object, indexNames.get(target)), a.alert.kind,
      {content: folded(a.alert.message), key: 'message'},
      {content: alertState(a), key: 'state'},
      app.when(a.alert.startedAt),
      {content: actions(a, jobs, indexNames.get(target)), key: 'act'}]})), {id: opts.id ? `${opts.id}-${target}` : null, cls: 'alerts'});
  if (groups.length === 1 && opts.single) return h('div', {id: opts.id}, tableOf(groups[0][0], groups[0][1]));
  return h('div', {id: opts.id}, groups.map(([target, list]) => {
    const counts = ['critical', 'warning'].map(s => [s, list.filter(a => a.alert.severity === s).length]).filter(([, n]) => n);
    return h('details', {class: 'group', open: true, dataset: {target}},
      h('summary', null, h('b', null, target), ' ', counts.map(([s, n]) => [app.severityBadge(s, `${n} ${s}`), ' '])),
      tableOf(target, list));
  }));
}

function alertState(a) {
  if (a.resolving) {
    return h('span', {title: `its finding is gone; it resolves at ${f.utc(a.resolvesAt)} unless the finding comes back`},
      badge('resolving', 'muted'), ' ', h('span', {class: 'small muted'}, `ends ${f.ago(a.resolvesAt)}`));
  }
  return a.silenced ? badge('silenced', 'muted') : badge('firing', a.alert.severity === 'critical' ? 'crit' : 'warn');
}

function actions(a, jobs, names) {
  const fixes = fixJobs(jobs, a.alert.target, a.alert.kind);
  const base = baseObject(a.alert.object);
  const page = names && names.has(base) ? route('index', a.alert.target, base) : route('target', a.alert.target);
  return h('span', {class: 'acts'},
    fixes.length ? h('a', {href: page, class: 'fix-link', title: `fixed by ${fixes.map(j => j.name).join(', ')}: preview it as a dry run there`},
      'Fix…') : null, ' ',
    silenceButton(a.alert.target, a.alert.kind, a.alert.object));
}

// ---- silence --------------------------------------------------------------------------------

function silenceButton(target, kind, object) {
  const readOnly = app.readOnly();
  const allowed = app.mayDo('silence-create');
  return h('button', {type: 'button', class: 'secondary small silence', disabled: readOnly || !allowed,
    title: readOnly ? 'read-only: no operator token configured' : !allowed ? app.whyNot('silence-create')
      : `silence ${kind} on ${object}`,
    on: {click: () => silenceDialog(target, kind, object)}}, 'Silence');
}

/** Silences one alert (its target, kind and exact object) for a while, with a comment for the audit. */
export function silenceDialog(target, kind, object) {
  const hours = h('select', {name: 'hours', id: 'silence-hours'},
    [1, 4, 12, 24].map(n => h('option', {value: n, selected: n === 4}, `${n} h`)));
  const comment = h('input', {type: 'text', name: 'comment', id: 'silence-comment', required: true,
    maxlength: 500, placeholder: 'who is on it and why'});
  app.operatorDialog({title: 'Silence this alert',
    intro: h('p', {class: 'small'}, h('b', null, kind), ' on ', h('code', null, object), ` (${target}): it keeps firing`
      + ' and shows here, but notifies nobody until the silence ends. The audit trail names your token.'),
    fields: [h('label', null, 'For ', hours), h('label', null, 'Comment ', comment)],
    tokenId: 'silence-token', submitId: 'silence-submit', submitLabel: 'Silence', focus: comment,
    send: given => {
      const endsAt = new Date(Date.now() + Number(hours.value) * 3600e3).toISOString();
      return app.api('/api/silences', {method: 'POST', headers: {'Content-Type': 'application/json', Authorization: `Bearer ${given}`},
        body: JSON.stringify({target, kind, objectPattern: globLiteral(object), endsAt, comment: comment.value.trim()})});
    },
    done: () => app.reload()});
}

/**
 * The object as a silence's glob (* any run, ? one character, nothing escaped): a * in the name
 * becomes ?, so the pattern matches the object itself and nothing longer.
 */
function globLiteral(object) {
  return object.replace(/\*/g, '?');
}

// ---- fix: dry-run preview -----------------------------------------------------------------------

/**
 * The open findings of a page (a target, or one index) that a shipped job fixes, each with that
 * job: a dry run previews what it would do here, shown in the page; an operator can then run it.
 */
export function fixPanel(target, findings, jobs) {
  const rows = [];
  for (const x of findings.slice().sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])) {
    for (const j of fixJobs(jobs, target, x.kind)) rows.push({x, j});
  }
  if (!rows.length) return null;
  const out = h('div', {id: 'fix-preview', class: 'preview', 'aria-live': 'polite'});
  const tbl = table([{name: 'Severity'}, {name: 'Finding'}, {name: 'Object'}, {name: 'Fixed by'}, {name: 'Act'}],
    rows.map(({x, j}) => ({dataset: {kind: x.kind, job: j.name}, cells: [
      app.severityBadge(x.severity), x.kind, h('code', null, x.object), link(j.name, 'job', j.name),
      h('span', {class: 'acts'}, previewButton(j, target, x.object, out), ' ', runButton(j))]})), {id: 'fixes'});
  return h('section', {class: 'panel', id: 'fix'}, h('h2', null, 'Fix'),
    h('p', {class: 'muted small'}, 'A dry run plans the job on this target and changes nothing; its plan shows below.'),
    tbl, out);
}

function previewButton(j, target, object, out) {
  const readOnly = app.readOnly();
  const allowed = app.mayDo('run-now');
  return h('button', {type: 'button', class: 'preview-run', dataset: {job: j.name}, disabled: readOnly || !allowed || !app.token(),
    title: readOnly ? 'read-only: no operator token configured' : !allowed ? app.whyNot('run-now')
      : !app.token() ? 'give an operator token first (Run now asks for it)' : `dry run of ${j.name} on ${target}`,
    on: {click: () => preview(j, target, object, out)}}, 'Preview (dry run)');
}

function runButton(j) {
  const readOnly = app.readOnly();
  const allowed = app.mayDo('run-now');
  return h('button', {type: 'button', class: 'secondary', disabled: readOnly || !allowed,
    title: readOnly ? 'read-only' : !allowed ? app.whyNot('run-now') : `run ${j.name} for real (asks first)`,
    on: {click: () => app.runNow(j)}}, 'Run…');
}

async function preview(j, target, object, out) {
  clear(out).append(h('p', null, `Dry run of ${j.name} on ${target}: planning…`));
  try {
    const started = await app.api(`/api/jobs/${encodeURIComponent(j.name)}/run?target=${encodeURIComponent(target)}&dryRun=true`,
      {method: 'POST'});
    let r = null;
    for (let i = 0; i < 120; i++) {
      r = await app.api(`/api/runs/${started.runId}`);
      if (r.run.status !== 'running') break;
      await new Promise(res => setTimeout(res, 1000));
    }
    const x = r.run;
    clear(out).append(h('h3', null, `Dry run of ${j.name} on ${target}: `, app.statusBadge(x.status), ' ',
      link(`run #${x.id}`, 'run', x.id)),
    h('p', {class: 'small muted'}, `What it would do, for `, h('code', null, object), ` among the rest:`),
    x.error ? h('pre', {class: 'error-text'}, x.error) : null,
    h('div', {class: 'preview-summary'}, x.summary && Object.keys(x.summary).length ? summaryView(x.summary, r.summaryLayout) : empty('Empty.')));
  } catch (e) {
    clear(out).append(h('p', {class: 'error', role: 'alert'}, `The dry run could not start: ${e.message}`));
  }
}
