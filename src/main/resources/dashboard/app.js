// The dashboard: pages drawn from the JSON API, addressed by the part of the URL after '#'.
//   #/                         overview
//   #/target/NAME              a target's vector indexes
//   #/index/TARGET/SCHEMA.NAME recall and latency of one index over time
//   #/job/NAME                 a job's recent runs
//   #/run/ID                   one run
//   #/audit                    who changed what (the audit trail)
import {h, clear, link, route, table, badge, section, empty} from './dom.js';
import * as f from './format.js';
import {lineChart} from './chart.js';
import * as triage from './triage.js';
import {fact, summaryView} from './summary.js';

const TOKEN_KEY = 'pgvector-ops.api-token';
const page = document.getElementById('page');
let status = null;
// what the API says the tab's token may do: {readAccess, caller, actions}
let session = null;
let timer = null;
let generation = 0;

// ---- API ------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, options = {}) {
  const headers = Object.assign({Accept: 'application/json'}, options.headers || {});
  if (!headers.Authorization && token()) headers.Authorization = `Bearer ${token()}`;
  const res = await fetch(path, Object.assign({}, options, {headers}));
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!res.ok) {
    throw new ApiError(res.status, (body && body.message) || `${res.status} ${res.statusText}`);
  }
  return body;
}

const enc = encodeURIComponent;
// a discovered target is named entry/database: its '/' stays a path separator (the API's routes
// take it so; an encoded one is refused by the server as ambiguous)
const encTarget = name => String(name).split('/').map(encodeURIComponent).join('/');

/** Labels as key=value chips. */
function labelChips(labels) {
  const entries = Object.entries(labels || {});
  return entries.length ? entries.map(([k, v]) => [h('span', {class: 'label'}, `${k}=${v}`), ' ']) : '';
}

/** Whether labels carry every pair of a filter written key=value,key=value (empty: all do). */
function labelsMatch(labels, filter) {
  return filter.split(',').map(p => p.trim()).filter(p => p).every(p => {
    const eq = p.indexOf('=');
    return eq > 0 && (labels || {})[p.slice(0, eq).trim()] === p.slice(eq + 1).trim();
  });
}

let targetFilter = '';

/** Shows only the rows of the targets table whose labels match the filter. */
function applyTargetFilter(st) {
  const byName = new Map(st.targets.map(t => [t.name, t.labels]));
  for (const row of document.querySelectorAll('#targets tbody tr')) {
    row.hidden = !labelsMatch(byName.get(row.dataset.target), targetFilter);
  }
}

/** A job's targets, shortened for a fleet. */
function targetList(targets) {
  return targets.length <= 6 ? targets.join(', ') : `${targets.slice(0, 4).join(', ')}, … (${targets.length} targets)`;
}

// ---- frame: header, banner, token ----------------------------------------------------------------

function banner(message) {
  const b = document.getElementById('banner');
  b.hidden = !message;
  b.textContent = message || '';
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

const ROLES = ['viewer', 'operator', 'admin'];

/** Whether the tab's token may call the action; without a token, whether one could (reads open). */
function mayDo(action) {
  const needed = session && session.actions[action];
  if (!needed || !session.caller) return true;
  return ROLES.indexOf(session.caller.role) >= ROLES.indexOf(needed);
}

/** Why the tab's token may not call the action, for a disabled button's title. */
function whyNot(action) {
  return `token '${session.caller.name}' has role ${session.caller.role}; this needs ${session.actions[action]} or above`;
}

function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  session = null;
  navigate();
}

function drawHeader() {
  const inst = document.getElementById('instance');
  inst.textContent = status ? `${status.version} · ${status.scheduler.instanceId} · up ${f.duration(status.uptimeSeconds * 1000)}` : '';
  const t = clear(document.getElementById('token-state'));
  if (session && session.caller) {
    t.append(h('span', {class: 'small', id: 'caller'}, 'token ', h('b', null, session.caller.name), ' ',
      badge(session.caller.role, 'info')), ' ',
    h('button', {type: 'button', class: 'link', id: 'forget-token', on: {click: forgetToken}}, 'forget'));
  }
  if (status && status.api.readOnly) {
    t.append(' ', badge('read-only', 'muted'), ' ',
      h('span', {class: 'muted small'}, 'no operator token configured: runs cannot be started here'));
  }
}

/** What the tab's token may do; a token the API no longer knows is forgotten. */
async function loadSession() {
  try {
    session = await api('/api/session');
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401) || !token()) throw e;
    sessionStorage.removeItem(TOKEN_KEY);
    session = await api('/api/session');
  }
  return session;
}

/** The page shown while reads need a token and the tab has none (api.readAccess: token). */
function signIn(message) {
  const input = h('input', {type: 'password', name: 'token', id: 'signin-token', autocomplete: 'off',
    required: true, placeholder: 'token'});
  const error = h('p', {class: 'error', role: 'alert', id: 'signin-error', hidden: !message}, message || '');
  const form = h('form', {id: 'signin', class: 'signin'},
    h('p', null, 'This daemon\'s API needs a token to read (', h('code', null, 'api.readAccess: token'), ').'),
    h('label', null, 'Token ', input,
      h('span', {class: 'muted small'}, 'kept in this browser tab only, until it closes')),
    error,
    h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'signin-submit'}, 'Open the dashboard')));
  form.onsubmit = async ev => {
    ev.preventDefault();
    const given = input.value.trim();
    try {
      session = await api('/api/session', {headers: {Authorization: `Bearer ${given}`}});
      sessionStorage.setItem(TOKEN_KEY, given);
      navigate();
    } catch (e) {
      error.hidden = false;
      error.textContent = e.status === 401 ? 'The API refused this token.' : e.message;
    }
  };
  render(h('h1', null, 'Token needed'), form);
  drawHeader();
  input.focus();
}

async function loadStatus() {
  status = await api('/api/status');
  drawHeader();
  return status;
}

// ---- run now --------------------------------------------------------------------------------

/** Asks for target, dry run and (once per tab) the API token, then starts the run and opens it. */
function runNow(job) {
  const targetSelect = h('select', {name: 'target', id: 'run-target'},
    job.targets.map(t => h('option', {value: t}, t)));
  const dry = h('input', {type: 'checkbox', name: 'dryRun', id: 'run-dry', checked: job.dryRun, disabled: job.dryRun});
  operatorDialog({title: `Run ${job.name} now`, intro: h('p', {class: 'muted small'}, `${job.kind} · ${job.file}`),
    fields: [
      job.targets.length > 1 ? h('label', null, 'Target ', targetSelect) : h('p', null, 'Target: ', h('b', null, job.targets[0])),
      h('label', {class: 'check'}, dry, ' dry run (plan only, change nothing)')],
    tokenId: 'run-token', submitId: 'run-submit', submitLabel: 'Run',
    send: given => {
      const target = job.targets.length > 1 ? targetSelect.value : job.targets[0];
      return api(`/api/jobs/${enc(job.name)}/run?target=${enc(target)}&dryRun=${dry.checked}`,
        {method: 'POST', headers: {Accept: 'application/json', Authorization: `Bearer ${given}`}});
    },
    done: async r => {
      await loadSession();
      drawHeader();
      location.hash = route('run', r.runId);
    }});
}

/**
 * A dialog that acts with an operator's token (run now, silence): its own fields, a token field
 * when this tab holds none, one error line. The token is kept for the tab once the API took it and
 * forgotten when the API refuses it; `send(token)` makes the request, `done(answer)` follows it.
 */
function operatorDialog({title, intro, fields, tokenId, submitId, submitLabel, send, done, focus}) {
  const dialog = document.getElementById('run-dialog');
  const form = clear(dialog.querySelector('form'));
  const error = h('p', {class: 'error', role: 'alert', hidden: true});
  const tokenInput = h('input', {type: 'password', name: 'token', id: tokenId, autocomplete: 'off',
    required: true, placeholder: 'an operator token'});
  form.append(h('h2', null, title), intro, ...fields,
    token() ? null : h('label', null, 'API token ', tokenInput,
      h('span', {class: 'muted small'}, 'kept in this browser tab only, until it closes')),
    error,
    h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'secondary', on: {click: () => dialog.close()}}, 'Cancel'),
      h('button', {type: 'submit', id: submitId}, submitLabel)));
  form.onsubmit = async ev => {
    ev.preventDefault();
    const given = token() || tokenInput.value.trim();
    if (!given) { error.hidden = false; error.textContent = 'The API token is needed for this.'; return; }
    let answer;
    try {
      answer = await send(given);
    } catch (e) {
      if (e.status === 401) sessionStorage.removeItem(TOKEN_KEY);
      error.hidden = false;
      error.textContent = e.status === 401 ? 'The API refused this token.' : e.message;
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, given);
    dialog.close();
    await done(answer);
  };
  dialog.showModal();
  (focus || (token() ? dialog.querySelector(`#${submitId}`) : tokenInput)).focus();
}

function runButton(job) {
  const readOnly = !status || status.api.readOnly;
  const allowed = mayDo('run-now');
  return h('button', {type: 'button', class: 'run-now', dataset: {job: job.name}, disabled: readOnly || !allowed,
    title: readOnly ? 'read-only: no operator token in api.tokens (or api.token): runs cannot be started here'
      : !allowed ? whyNot('run-now') : `run ${job.name} now`,
    on: {click: () => runNow(job)}}, 'Run now');
}

// ---- shared pieces --------------------------------------------------------------------------

function when(iso) {
  return iso ? h('time', {datetime: iso, title: f.utc(iso)}, f.ago(iso)) : f.DASH;
}

function statusBadge(s) {
  return badge(s, {succeeded: 'ok', running: 'info', failed: 'crit', interrupted: 'warn', skipped: 'muted'}[s] || 'muted');
}

/** A severity's badge; `text` (e.g. "2 critical") written in its colour instead of its name. */
function severityBadge(s, text) {
  return badge(text || s, {critical: 'crit', warning: 'warn', info: 'info'}[s] || 'muted');
}

function findingsTable(findings, opts = {}) {
  if (!findings.length) return empty(opts.none || 'No open findings.');
  const cols = [{name: 'Severity'}, {name: 'Target'}, {name: 'Object'}, {name: 'Kind'}, {name: 'Message', cls: 'wide'},
    {name: 'First seen', title: 'when this finding was first seen open (it may predate the run that saw it last)'},
    {name: 'Last run'}];
  const rows = findings.slice().sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]
    || triage.byKind(a.kind, b.kind));
  return table(cols, rows.map(x => ({dataset: {kind: x.kind, severity: x.severity}, cells: [
    {content: severityBadge(x.severity), sort: x.severity},
    link(x.target, 'target', x.target),
    opts.indexNames ? triage.objectLink(x.target, x.object, opts.indexNames.get(x.target)) : h('code', null, x.object),
    x.kind, {content: triage.folded(x.message), key: 'message'},
    {content: when(x.firstSeen), sort: x.firstSeen},
    link(`#${x.lastRunId}`, 'run', x.lastRunId)]})), {cls: 'findings'});
}

/** A text box that hides the rows of the tables inside `scope` whose text does not hold every word. */
function rowFilter(scope, label, id) {
  const input = h('input', {type: 'search', id, placeholder: 'kind, target, object, word…', 'aria-label': label});
  input.addEventListener('input', () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const row of scope.querySelectorAll('tbody tr')) {
      const text = row.textContent.toLowerCase();
      row.hidden = !words.every(w => text.includes(w));
    }
  });
  return h('label', {class: 'filter'}, `${label} `, input);
}

const SEVERITY_ORDER = triage.SEVERITY_ORDER;

/** The vector indexes ("schema.name") of each target, to link findings to their index pages. */
async function indexNamesOf(targets) {
  const names = new Map();
  await Promise.all([...new Set(targets)].slice(0, 20).map(async t => {
    const x = await api(`/api/targets/${encTarget(t)}`).catch(() => null);
    names.set(t, new Set(x ? x.vectorIndexes.map(i => `${i.schema}.${i.name}`) : []));
  }));
  return names;
}

// ---- overview -------------------------------------------------------------------------------

async function overview(gen) {
  const [st, jobs, alerts, findings] = await Promise.all([loadStatus(), api('/api/jobs'),
    api('/api/alerts?state=firing&limit=500'), api('/api/findings?state=open&limit=5000')]);
  if (gen !== generation) return;
  const up = st.targets.filter(t => t.state === 'up').length;
  const down = st.targets.filter(t => t.state === 'down').length;
  const firing = alerts.filter(a => !a.silenced && !a.resolving);
  const resolving = alerts.filter(a => a.resolving).length;
  const crit = findings.filter(x => x.severity === 'critical').length;
  const warn = findings.filter(x => x.severity === 'warning').length;
  const failedJobs = jobs.filter(j => j.lastRun && j.lastRun.status === 'failed');

  const tile = (id, label, value, kind, note) => h('div', {class: 'tile ' + kind, id},
    h('div', {class: 'tile-value'}, value), h('div', {class: 'tile-label'}, label), note ? h('div', {class: 'small'}, note) : null);
  const tiles = h('div', {class: 'tiles'},
    tile('tile-targets', 'targets up', `${up} / ${st.targets.length}`, down ? 'crit' : up === st.targets.length ? 'ok' : 'warn',
      down ? `${down} down` : null),
    tile('tile-alerts', 'alerts firing', String(firing.length), firing.some(a => a.alert.severity === 'critical') ? 'crit'
      : firing.length ? 'warn' : 'ok', [resolving ? `${resolving} resolving` : null,
        alerts.filter(a => a.silenced).length ? `${alerts.filter(a => a.silenced).length} silenced` : null]
        .filter(Boolean).join(' · ') || null),
    tile('tile-findings', 'open findings', String(findings.length), crit ? 'crit' : warn ? 'warn' : 'ok',
      `${crit} critical · ${warn} warning · ${findings.length - crit - warn} info`),
    tile('tile-jobs', 'jobs whose last run failed', String(failedJobs.length), failedJobs.length ? 'crit' : 'ok',
      `scheduler ${st.scheduler.state}`));

  const targets = table([{name: 'Target'}, {name: 'Labels'}, {name: 'State'}, {name: 'PostgreSQL'}, {name: 'pgvector'}, {name: 'Role'},
    {name: 'Checked'}, {name: 'Error', cls: 'wide'}], st.targets.map(t => ({dataset: {target: t.name}, cells: [
    link(t.name, 'target', t.name),
    {content: labelChips(t.labels), key: 'labels'},
    {content: badge(t.state, {up: 'ok', down: 'crit'}[t.state] || 'muted'), key: 'state'},
    {content: t.serverVersion || f.DASH, key: 'server'},
    {content: t.pgvectorVersion || (t.pgvectorAvailable ? `not installed (${t.pgvectorAvailable} available)` : f.DASH), key: 'pgvector'},
    t.inRecovery === null ? f.DASH : t.inRecovery ? 'standby (read-only)' : 'primary',
    when(t.checkedAt), t.error || '']})), {id: 'targets'});

  const indexNames = await indexNamesOf(alerts.map(a => a.alert.target).concat(findings.map(x => x.target)));
  if (gen !== generation) return;
  const alertTable = triage.alertsView(alerts, jobs, indexNames, {id: 'alerts'});

  const byJob = new Map();
  for (const x of findings) {
    if (!byJob.has(x.job)) byJob.set(x.job, []);
    byJob.get(x.job).push(x);
  }
  const findingGroups = [...byJob.entries()].sort((a, b) => b[1].length - a[1].length).map(([job, list]) => {
    const counts = ['critical', 'warning', 'info'].map(s => [s, list.filter(x => x.severity === s).length])
      .filter(([, n]) => n > 0);
    list.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
    return h('details', {class: 'group', dataset: {job, count: list.length},
      open: counts.some(([s]) => s !== 'info')},
    h('summary', null, h('b', null, job), ' ', h('span', {class: 'count'}, String(list.length)), ' ',
      counts.map(([s, n]) => [severityBadge(s, `${n} ${s}`), ' '])),
    findingsTable(list, {indexNames}));
  });

  const sortedJobs = jobs.slice().sort((a, b) => (a.nextFireTime || '9').localeCompare(b.nextFireTime || '9')
    || a.name.localeCompare(b.name));
  const jobTable = table([{name: 'Job'}, {name: 'Kind'}, {name: 'Targets'}, {name: 'Next run'}, {name: 'Last run'},
    {name: 'Duration'}, {name: ''}], sortedJobs.map(j => ({dataset: {job: j.name}, cells: [
    link(j.name, 'job', j.name), j.kind, targetList(j.targets),
    {content: j.nextFireTime ? when(j.nextFireTime) : 'not scheduled', key: 'next', title: j.schedule},
    {content: j.lastRun ? h('span', null, statusBadge(j.lastRun.status), ' ', link(when(j.lastRun.startedAt), 'run', j.lastRun.id),
      j.lastRun.dryRun ? ' (dry run)' : '', ' on ', j.lastRun.target) : 'never run', key: 'last'},
    {content: j.lastRun ? f.duration(j.lastRun.endedAt ? Date.parse(j.lastRun.endedAt) - Date.parse(j.lastRun.startedAt) : null) : f.DASH,
      key: 'duration'},
    runButton(j)]})), {id: 'jobs'});

  const filter = h('input', {id: 'target-filter', type: 'search', placeholder: 'env=prod,cluster=eu-1',
    value: targetFilter, 'aria-label': 'Show the targets with these labels'});
  filter.addEventListener('input', () => { targetFilter = filter.value; applyTargetFilter(st); });
  const problems = (st.targetProblems || []).length ? h('ul', {id: 'target-problems', class: 'problems'},
    st.targetProblems.map(p => h('li', null, p))) : '';
  render(h('h1', null, 'Overview'), tiles,
    section('Targets', h('label', {class: 'filter'}, 'Labels ', filter), problems, targets),
    section(`Firing alerts (${alerts.length})`, alerts.length > 5 ? rowFilter(alertTable, 'Filter', 'alert-filter') : null,
      alertTable),
    findingsSection(findingGroups, findings.length),
    section('Jobs: next and last runs', jobTable));
  applyTargetFilter(st);
  refresh(gen, overview, 15000);
}

function findingsSection(groups, n) {
  if (!groups.length) return section(`Open findings by job (${n})`, empty('No open findings.'));
  const box = h('div', {id: 'findings'}, groups);
  return section(`Open findings by job (${n})`, rowFilter(box, 'Filter', 'finding-filter'), box);
}

// ---- target ---------------------------------------------------------------------------------

function methodText(i, withOpclass = true) {
  const opts = Object.entries(i.options || {}).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${i.method}${opts ? ` (${opts})` : ''}${withOpclass ? ' ' + i.opclass : ''}`;
}

async function target(gen, name) {
  const [t, findings, alerts, jobs, changes] = await Promise.all([api(`/api/targets/${encTarget(name)}`),
    api(`/api/findings?state=open&target=${enc(name)}&limit=5000`), api('/api/alerts?state=firing&limit=5000'),
    api('/api/jobs'), api(`/api/targets/${encTarget(name)}/timeline?days=${timelineDays}`), loadStatus()]);
  const cap = await capacity(name, jobs);
  if (gen !== generation) return;
  const cols = [
    {name: 'Index'}, {name: 'Column'}, {name: 'Method'}, {name: 'Size', cls: 'num'},
    {name: 'Rows', cls: 'num'}, {name: 'Est. bloat', cls: 'num', title: 'wasted share of the index, from the bloat job'},
    {name: 'Residency', cls: 'num', title: 'share of the index in shared buffers, from the prewarm job'},
    {name: 'Recall', cls: 'num', title: 'latest recall@k measured by the regression job'},
    {name: 'p95', cls: 'num', title: 'latest p95 latency of the probe queries'}, {name: 'Last rebuild'}];
  const rows = t.vectorIndexes.map(i => {
    const q = `${i.schema}.${i.name}`;
    const r = i.regression;
    return {dataset: {index: q}, cells: [
      {content: [link(q, 'index', name, q), i.valid ? null : [' ', badge('INVALID', 'crit')]], sort: q, key: 'index'},
      {content: [`${i.table}.${i.column}`, h('div', {class: 'muted small'}, i.columnType)], sort: `${i.table}.${i.column}`},
      {content: [methodText(i, false), h('div', {class: 'muted small'}, i.opclass)], sort: i.method},
      {content: f.bytes(i.sizeBytes), sort: i.sizeBytes, key: 'size'},
      {content: f.count(i.rows), sort: i.rows, key: 'rows'},
      {content: i.bloat ? f.percent(i.bloat.ratio) : f.DASH, sort: i.bloat ? i.bloat.ratio : null, key: 'bloat',
        title: i.bloat ? `${i.bloat.method}, ${f.utc(i.bloat.measuredAt)}` : 'not estimated yet (bloat job)'},
      {content: f.percent(i.residency), sort: i.residency, key: 'residency',
        title: i.residencyMeasuredAt ? f.utc(i.residencyMeasuredAt) : 'not measured yet (prewarm job)'},
      {content: r ? f.recall(r.recall) : f.DASH, sort: r ? r.recall : null, key: 'recall',
        title: r ? `${r.label}, ${f.utc(r.measuredAt)}` : 'not measured yet (regression job)'},
      {content: r ? f.ms(r.p95Ms) : f.DASH, sort: r ? r.p95Ms : null, key: 'p95'},
      {content: i.lastRebuild ? link(when(i.lastRebuild.endedAt), 'run', i.lastRebuild.runId) : 'never',
        sort: i.lastRebuild ? i.lastRebuild.endedAt : null, key: 'rebuild',
        title: i.lastRebuild ? i.lastRebuild.reason : null}]};
  });
  const indexTable = rows.length ? sortable(table(cols, rows, {id: 'indexes'}), cols)
    : empty(t.state === 'unknown' ? 'Not checked yet: the health job fills this in on its first run.'
      : 'No vector indexes on this target.');
  const ext = t.extensions ? Object.entries(t.extensions).filter(([, e]) => e.installed)
    .map(([n, e]) => `${n} ${e.installed}`).join(', ') : f.DASH;
  const names = new Map([[name, new Set(t.vectorIndexes.map(i => `${i.schema}.${i.name}`))]]);
  const mine = alerts.filter(a => a.alert.target === name);
  render(h('p', {class: 'crumbs'}, link('Overview'), ' / target'),
    h('h1', null, name, ' ', badge(t.state, {up: 'ok', down: 'crit'}[t.state] || 'muted')),
    h('dl', {class: 'facts'},
      fact('PostgreSQL', t.serverVersion), fact('Support ends', supportEnds(t)),
      fact('pgvector', t.pgvectorVersion && t.pgvectorAvailable && t.pgvectorAvailable !== t.pgvectorVersion
        ? `${t.pgvectorVersion} (${t.pgvectorAvailable} available on the server)` : t.pgvectorVersion),
      fact('Role', t.inRecovery === null ? f.DASH : t.inRecovery ? 'standby: no job writes here' : 'primary'),
      fact('Checked', when(t.checkedAt)), fact('Extensions', ext), t.error ? fact('Error', t.error) : null),
    foldable(`Firing alerts (${mine.length})`, true,
      triage.alertsView(mine, jobs, names, {id: 'target-alerts', single: true, none: 'No alerts firing on this target.'})),
    triage.fixPanel(name, findings, jobs),
    foldable(`Open findings (${findings.length})`, true, findingsTable(findings, {indexNames: names})),
    foldable(`Vector indexes (${t.vectorIndexes.length})`, true, indexTable),
    foldable(`What changed (${changes.length})`, true, timeline(changes, name, names)),
    foldable(`pgvector advisories (${t.advisories.length})`, t.advisories.length > 0, h('div', {id: 'advisories'},
      findingsTable(t.advisories, {none: 'No known pgvector defect applies to this database.'}))),
    capacitySection(cap && current(cap, names.get(name), findings)));
  refresh(gen, () => target(gen, name), 30000);
}

// ---- capacity (on the target page) -----------------------------------------------------------

/** The latest capacity run on the target and its index history; null without a capacity job. */
async function capacity(name, jobs) {
  const job = jobs.find(j => j.kind === 'capacity' && j.targets.includes(name));
  if (!job) return null;
  const [runs, history] = await Promise.all([api(`/api/jobs/${enc(job.name)}/runs?limit=50`),
    api(`/api/targets/${encTarget(name)}/history`)]);
  const run = runs.find(r => r.target === name && r.status === 'succeeded');
  return {job, run, history};
}

/**
 * A capacity run is daily: what it said of objects dropped since is left out, and advice taken
 * from a regression finding reads that finding as it is now (or goes, once it resolved).
 */
function current(cap, existing, findings) {
  if (!cap.run) return cap;
  const s = cap.run.summary;
  const gone = new Set(s.indexes.map(i => i.index).filter(n => !existing.has(n)));
  const mentionsGone = text => [...gone].some(n => String(text).includes(n));
  const open = new Map(findings.filter(x => x.kind === 'recall-below-target').map(x => [x.object, x]));
  let stale = 0;
  const recommendations = s.recommendations.flatMap(r => {
    if (mentionsGone(r.setting) || mentionsGone(r.reason)) return [];
    const from = /: the sweep of (.+)$/.exec(r.measurement || '');
    if (!from) return [r];
    const now = open.get(from[1]);
    if (!now) { stale++; return []; }
    return [Object.assign({}, r, {reason: now.message, measurement: `${r.measurement} (as of run ${now.lastRunId})`})];
  });
  const summary = Object.assign({}, s, {recommendations,
    indexes: s.indexes.filter(i => !gone.has(i.index)), forecasts: s.forecasts.filter(x => !gone.has(x.object))});
  return Object.assign({}, cap, {run: Object.assign({}, cap.run, {summary}), gone: [...gone], stale});
}

function capacitySection(cap) {
  if (!cap) return null;
  if (!cap.run) {
    return section('Capacity', h('div', {id: 'capacity'},
      empty(`No capacity run on this target yet (job ${cap.job.name}).`)));
  }
  const s = cap.run.summary;
  const forecasts = table([{name: 'Object'}, {name: 'Limit'}, {name: 'Now', cls: 'num'}, {name: 'Limit size', cls: 'num'},
    {name: 'Growth / day', cls: 'num'}, {name: 'Crossing'}, {name: 'Note', cls: 'wide'}], s.forecasts.map(x => ({
    dataset: {object: x.object, limit: x.limit}, cells: [
      h('code', null, x.object), x.limit, {content: f.bytes(x.bytesNow), key: 'now'},
      {content: f.bytes(x.limitBytes), key: 'limit'},
      {content: x.growthBytesPerDay === null ? f.DASH : f.bytes(x.growthBytesPerDay), key: 'growth'},
      {content: x.crossing || f.DASH, key: 'crossing'}, x.note || '']})), {id: 'capacity-forecasts'});
  const advice = s.recommendations.length ? table([{name: 'Setting'}, {name: 'Current'}, {name: 'Recommended'},
    {name: 'Why', cls: 'wide'}, {name: 'Measured', cls: 'wide'}], s.recommendations.map(r => ({
    dataset: {setting: r.setting}, cells: [h('code', null, r.setting), {content: r.current, key: 'current'},
      {content: r.recommended, key: 'recommended'}, r.reason, r.measurement]})), {id: 'capacity-recommendations'})
    : empty('No setting to change: every figure fits.');
  const byIndex = new Map();
  for (const x of cap.history) {
    if (!byIndex.has(x.index)) byIndex.set(x.index, []);
    byIndex.get(x.index).push(x);
  }
  const charts = s.indexes.map(i => {
    const samples = byIndex.get(i.index) || [];
    const points = samples.map(x => ({t: Date.parse(x.day), v: x.sizeBytes, title: `${x.day}: ${f.bytes(x.sizeBytes)}`}));
    const series = [{name: 'size', cls: 's1', points}];
    if (i.growthBytesPerDay !== null && points.length) {
      // the fitted growth drawn 30 days ahead from today's size
      const t0 = Date.parse(cap.run.startedAt);
      series.push({name: 'forecast (30 days)', cls: 's2 forecast', points: [{t: t0, v: i.sizeBytes},
        {t: t0 + 30 * 86400e3, v: i.sizeBytes + 30 * i.growthBytesPerDay}]});
    }
    return h('div', {class: 'capacity-index', dataset: {index: i.index}},
      h('h3', null, i.index, ' ', h('span', {class: 'muted small'},
        `${f.bytes(i.sizeBytes)} · build needs ${f.bytes(i.buildMemoryBytes)} · ${i.hot ? 'hot' : 'not hot'}`
        + ` · ${i.note || `growing ${f.bytes(i.growthBytesPerDay)} a day over ${i.historyDays} days`}`)),
      points.length === 1 ? h('p', {class: 'small one-point'}, `One day of history so far (${samples[0].day}: `
        + `${f.bytes(samples[0].sizeBytes)}); a chart is drawn from the second day on.`)
        : points.length ? lineChart({width: chartWidth(1),id: `capacity-${i.index}`, title: 'size', series,
        hlines: [{v: s.settings.sharedBuffers, label: 'shared_buffers', cls: 'limit'},
          {v: s.settings.effectiveCacheSize, label: 'effective_cache_size', cls: 'cache'}],
        y: {min: 0, format: f.bytes}}) : empty('No history yet: health records one sample a day.'));
  });
  const leftOut = [cap.gone.length ? `${cap.gone.length} index(es) dropped since the run left out (${cap.gone.join(', ')})` : null,
    cap.stale ? `${cap.stale} recall advice(s) whose finding resolved since left out` : null].filter(Boolean);
  return foldable('Capacity', true, h('div', {id: 'capacity'},
    leftOut.length ? h('p', {class: 'small', id: 'capacity-left-out'}, leftOut.join('; '), '.') : null,
    h('p', {class: 'muted small'}, `From the capacity run `, link(when(cap.run.startedAt), 'run', cap.run.id),
      `: maintenance_work_mem ${f.bytes(s.settings.maintenanceWorkMem)}, shared_buffers ${f.bytes(s.settings.sharedBuffers)},`
      + ` effective_cache_size ${f.bytes(s.settings.effectiveCacheSize)}.`),
    h('h3', null, 'Forecasts'), forecasts, h('h3', null, 'Recommendations'), advice, charts));
}

/** The end of support of the target's PostgreSQL major, flagged once it is past. */
function supportEnds(t) {
  if (!t.postgresSupportEnds) return null;
  return t.postgresSupported === false
    ? [t.postgresSupportEnds, ' ', badge('ended', 'crit')] : t.postgresSupportEnds;
}

let timelineDays = 7;

const CHANGE_BADGE = {'finding-opened': 'warn', 'finding-resolved': 'ok', 'recall-changed': 'info', rebuild: 'info',
  reload: 'muted', 'version-changed': 'info'};

/** What changed on a target, newest first; the period is picked above it. */
function timeline(changes, target, names) {
  const pick = h('select', {id: 'timeline-days', 'aria-label': 'Period', on: {change: e => {
    timelineDays = Number(e.target.value); navigate(); }}},
  [[1, '24 h'], [7, '7 days'], [30, '30 days'], [90, '90 days']].map(([d, text]) =>
    h('option', {value: d, selected: d === timelineDays}, text)));
  const rows = changes.map(c => ({dataset: {change: c.kind}, cells: [
    when(c.at),
    {content: c.severity ? [badge(c.kind, CHANGE_BADGE[c.kind]), ' ', severityBadge(c.severity)] : badge(c.kind, CHANGE_BADGE[c.kind]),
      key: 'kind'},
    c.object ? triage.objectLink(target, c.object, names.get(target)) : f.DASH,
    {content: triage.folded(c.text), key: 'text'},
    c.runId ? link(`#${c.runId}`, 'run', c.runId) : f.DASH]}));
  return h('div', {id: 'timeline'}, h('label', {class: 'filter'}, 'Period ', pick),
    rows.length ? table([{name: 'When'}, {name: 'Change'}, {name: 'Object'}, {name: 'What', cls: 'wide'}, {name: 'Run'}], rows)
      : empty('Nothing changed in this period.'));
}

/** A panel whose body folds away under its heading. */
function foldable(title, open, ...children) {
  return h('section', {class: 'panel fold-panel'}, h('details', {open},
    h('summary', null, h('h2', null, title)), ...children));
}

/** Clicking a column head sorts by the cells' raw values (empty ones last); a select does it on a phone. */
function sortable(wrapper, cols) {
  const tbl = wrapper.querySelector('table');
  const heads = [...tbl.querySelectorAll('th')];
  const apply = (col, dir) => {
    const body = tbl.tBodies[0];
    const rows = [...body.rows];
    const val = r => r.cells[col].dataset.sort;
    rows.sort((a, b) => {
      const x = val(a), y = val(b);
      if (x === undefined || y === undefined) return (x === undefined) - (y === undefined);
      const nx = Number(x), ny = Number(y);
      const c = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
      return dir === 'ascending' ? c : -c;
    });
    rows.forEach(r => body.append(r));
    heads.forEach((th, i) => th.setAttribute('aria-sort', i === col ? dir : 'none'));
    picker.value = `${col}:${dir}`;
  };
  heads.forEach((th, i) => {
    th.classList.add('sortable');
    th.tabIndex = 0;
    const toggle = () => apply(i, th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending');
    th.addEventListener('click', toggle);
    th.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
  });
  const picker = h('select', {class: 'sort-picker', 'aria-label': 'sort by', on: {change: e => {
    const [c, d] = e.target.value.split(':');
    apply(Number(c), d);
  }}}, cols.flatMap((c, i) => [h('option', {value: `${i}:ascending`}, `${c.name} ↑`),
    h('option', {value: `${i}:descending`}, `${c.name} ↓`)]));
  return h('div', null, h('label', {class: 'sort-label'}, 'Sort by ', picker), wrapper);
}

// ---- index ----------------------------------------------------------------------------------

let seriesDays = 90;

async function index(gen, targetName, name) {
  const [t, findings, jobs] = await Promise.all([api(`/api/targets/${encTarget(targetName)}`),
    api(`/api/findings?state=open&target=${enc(targetName)}&limit=5000`), api('/api/jobs'), loadStatus()]);
  const i = t.vectorIndexes.find(x => `${x.schema}.${x.name}` === name);
  // an index with no measurement has no series: do not ask (the API would answer 404)
  const since = new Date(Date.now() - seriesDays * 86400e3).toISOString();
  const series = i && i.regression
    ? await api(`/api/regression/${encTarget(targetName)}/${enc(name)}?since=${enc(since)}`) : null;
  const trial = await latestTrial(jobs, targetName, name);
  if (gen !== generation) return;
  const mine = findings.filter(x => triage.baseObject(x.object) === name);
  const advice = mine.filter(x => x.kind === 'recall-below-target');
  const setting = i && i.method === 'ivfflat' ? 'ivfflat.probes' : 'hnsw.ef_search';
  const parts = [h('p', {class: 'crumbs'}, link('Overview'), ' / ', link(targetName, 'target', targetName), ' / index'),
    h('h1', null, name)];
  if (!i) {
    parts.push(empty(`The latest health run of ${targetName} saw no vector index named ${name}.`));
  } else {
    parts.push(h('dl', {class: 'facts'}, fact('Table', `${i.schema}.${i.table}`), fact('Column', `${i.column} ${i.columnType}`),
      fact('Method', methodText(i)), fact('Size', f.bytes(i.sizeBytes)), fact('Rows', f.count(i.rows)),
      fact('Est. bloat', i.bloat ? f.percent(i.bloat.ratio) : f.DASH), fact('Residency', f.percent(i.residency)),
      fact('Last rebuild', i.lastRebuild ? link(when(i.lastRebuild.endedAt), 'run', i.lastRebuild.runId) : 'never'),
      fact('Definition', h('code', null, i.definition))));
  }
  parts.push(triage.fixPanel(targetName, mine, jobs));
  parts.push(section('Recall below target', advice.length
    ? h('div', {id: 'advice'}, advice.map(a => h('p', {class: 'advice'}, a.message)))
    : empty(series ? 'None open: the latest measurement meets the recall target at the current settings.'
      : 'None yet: the regression job gives advice once it has measured this index.')));
  if (!series) {
    parts.push(section('Recall and latency', empty('No regression measurements of this index yet: '
      + 'configure a job of kind regression for it (see jobs/regression.yml).')));
  } else {
    parts.push(h('label', {class: 'filter'}, 'Period ', h('select', {id: 'series-days', 'aria-label': 'Period of the charts',
      on: {change: e => { seriesDays = Number(e.target.value); navigate(); }}},
    [[1, '24 h'], [7, '7 days'], [30, '30 days'], [90, '90 days']].map(([d, text]) =>
      h('option', {value: d, selected: d === seriesDays}, text)))));
    const rebuilds = series.rebuilds.map(r => ({t: Date.parse(r.endedAt),
      label: `rebuilt ${f.utc(r.endedAt)} (run ${r.runId}): ${r.reason}`}));
    for (const set of series.probeSets) {
      parts.push(probeSetSection(set, rebuilds, setting));
    }
  }
  if (trial) {
    parts.push(trialSection(trial));
  }
  parts.push(section(`Open findings of this index (${mine.length})`, findingsTable(mine)));
  render(...parts);
  refresh(gen, () => index(gen, targetName, name), 60000);
}

// The latest quantization trial of this index on this target that measured its shapes, or null:
// asked only of the jobs of that kind that run on the target.
async function latestTrial(jobs, targetName, name) {
  const trials = jobs.filter(j => j.kind === 'quantization-trial' && j.targets.includes(targetName));
  const runs = (await Promise.all(trials.map(j => api(`/api/jobs/${enc(j.name)}/runs?limit=20`)))).flat();
  return runs.filter(r => r.target === targetName && r.summary && r.summary.index === name && r.summary.shapes)
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))[0] || null;
}

function trialSection(run) {
  const s = run.summary;
  const est = (x, v) => x.error ? {content: x.error, cls: 'muted'} : v;
  const rows = s.shapes.map(x => ({cls: x.shape === 'current' ? 'current' : null, cells: [
    x.shape, est(x, f.bytes(x.sampleIndexBytes)), est(x, `${x.buildSeconds.toFixed(2)} s`),
    est(x, f.recall(x.recall)), est(x, String(x.efSearch)), est(x, f.ms(x.p50Ms)), est(x, f.ms(x.p95Ms)),
    est(x, f.bytes(x.estimatedBytes)), est(x, f.bytes(x.estimatedBuildMemoryBytes)),
    h('code', null, x.definition)]}));
  return section('Quantization trial', [
    h('p', {class: 'muted small'}, `${f.count(s.sampleRows)} of ${f.count(s.tableRows)} rows sampled, `
      + `${s.probes} query vectors (${s.probeSource}), recall@${s.k} against exact search, target ${f.recall(s.targetRecall)}; `,
    link(`run ${run.id}`, 'run', run.id), `, ${f.utc(run.startedAt)}`),
    table([{name: 'Shape'}, {name: 'Size (sample)', cls: 'num'}, {name: 'Build (sample)', cls: 'num'},
      {name: 'Recall', cls: 'num'}, {name: 'ef_search', cls: 'num'}, {name: 'p50', cls: 'num'}, {name: 'p95', cls: 'num'},
      {name: 'Size (whole table, est.)', cls: 'num'}, {name: 'Build memory (est.)', cls: 'num'}, {name: 'Index', cls: 'wide'}],
    rows, {cls: 'trial'}),
    s.halfM ? h('p', {class: 'muted small', id: 'trial-half-m'}, `Half m: ${s.halfM}`) : null,
    h('p', {class: 'advice', id: 'trial-recommendation'}, `Recommendation: ${s.recommendation}`)]);
}

// What the probes are: recall on real questions and on perturbed stored rows are different claims.
function probeSource(spec) {
  switch (spec.source) {
    case 'sql': return `${spec.probes} query vectors from probeSql (${spec.probeSql})`;
    case 'perturbed': return `${spec.probes} stored rows with ${+((spec.perturbation || 0) * 100).toFixed(1)}% noise`;
    case 'sample': return `${spec.probes} stored rows as they are`;
    default: return `${spec.probes} ${spec.source} probes`;
  }
}

/** The width a chart is shown at, one of `columns` side by side in the page (two stack on a phone). */
function chartWidth(columns) {
  const inner = page.clientWidth - 64;
  const cols = inner < 860 ? 1 : columns;
  return Math.max(300, Math.floor((inner - 16 * (cols - 1)) / cols));
}

function probeSetSection(set, rebuilds, setting) {
  const k = set.spec.k;
  const pts = set.points;
  const b = set.baseline;
  // the target the latest run judged against (points from before targets were kept have none)
  const target = pts.length ? pts[pts.length - 1].targetRecall : undefined;
  const lowest = Math.min(...pts.map(p => p.recall), b ? b.recall : 1, target || 1);
  const width = chartWidth(2);
  const recallChart = lineChart({id: `recall-${set.id}`, title: `recall@${k}`, width,
    y: {min: Math.max(0, lowest - 0.05), max: 1, format: v => v.toFixed(2)},
    series: [{name: `recall@${k}`, cls: 's1', points: pts.map(p => ({t: Date.parse(p.measuredAt), v: p.recall,
      title: `${f.utc(p.measuredAt)}: recall ${f.recall(p.recall)}${p.note ? ' · ' + p.note : ''}`}))}],
    hlines: [b ? {v: b.recall, label: `baseline ${f.recall(b.recall)} (${b.reason})`, cls: 'base'} : null,
      target ? {v: target, label: `target ${f.recall(target)}`, cls: 'target'} : null].filter(Boolean),
    vlines: rebuilds});
  const latencyChart = lineChart({id: `latency-${set.id}`, title: 'latency (ms)', width,
    y: {min: 0, format: v => String(+v.toFixed(2))},
    series: [
      {name: 'p50', cls: 's2', points: pts.map(p => ({t: Date.parse(p.measuredAt), v: p.p50Ms,
        title: `${f.utc(p.measuredAt)}: p50 ${f.ms(p.p50Ms)}`}))},
      {name: 'p95', cls: 's3', points: pts.map(p => ({t: Date.parse(p.measuredAt), v: p.p95Ms,
        title: `${f.utc(p.measuredAt)}: p95 ${f.ms(p.p95Ms)}`}))}],
    hlines: b ? [{v: b.p95Ms, label: `baseline p95 ${f.ms(b.p95Ms)}`, cls: 'base'}] : [],
    vlines: rebuilds});
  const latest = pts[pts.length - 1];
  const sweep = set.tuning ? table([{name: setting, cls: 'num'}, {name: 'Recall', cls: 'num'}, {name: 'p95', cls: 'num'}],
    set.tuning.sweep.map(s => ({cells: s.planUsesIndex === false
      ? [String(s.value), {content: 'the planner drops the index here', cls: 'muted'}, f.DASH]
      : [String(s.value), f.recall(s.recall), f.ms(s.p95Ms)]})), {cls: 'sweep'}) : null;
  const recent = table([{name: 'Measured'}, {name: 'Recall', cls: 'num'}, {name: 'p50', cls: 'num'}, {name: 'p95', cls: 'num'},
    {name: 'p99', cls: 'num'}, {name: 'Settings'}, {name: 'Note', cls: 'wide'}, {name: 'Run'}],
  pts.slice(-10).reverse().map(p => ({cls: p.recallBreach || p.latencyBreach || !p.planUsesIndex ? 'breach' : null, cells: [
    when(p.measuredAt), {content: f.recall(p.recall), key: 'recall'}, f.ms(p.p50Ms), {content: f.ms(p.p95Ms), key: 'p95'},
    f.ms(p.p99Ms), Object.entries(p.settings || {}).map(([kk, v]) => `${kk}=${v}`).join(' '),
    [p.planUsesIndex ? null : 'plan does not use the index. ', p.note || ''], link(`#${p.runId}`, 'run', p.runId)]})),
  {cls: 'points'});
  return h('section', {class: 'panel probe-set', dataset: {label: set.label, points: pts.length}},
    h('h2', null, `Probe set: ${set.label}`, set.retiredAt ? [' ', badge('retired', 'muted')] : null),
    h('p', {class: 'muted small'}, `${probeSource(set.spec)}, k=${k}`,
      set.filter ? ` · filter ${set.filter}` : '', latest ? ` · latest ${f.utc(latest.measuredAt)}` : ''),
    pts.length > 1 ? h('div', {class: 'charts'}, recallChart, latencyChart)
      : pts.length ? h('p', {class: 'one-point'}, `One measurement in this period: recall@${k} ${f.recall(latest.recall)},`
        + ` p50 ${f.ms(latest.p50Ms)}, p95 ${f.ms(latest.p95Ms)}. Charts are drawn from the second on.`)
        : empty('No measurement in this period.'),
    sweep ? h('details', {class: 'group'}, h('summary', null, `${setting} sweep, ${f.utc(set.tuning.measuredAt)}`), sweep) : null,
    h('details', {class: 'group'}, h('summary', null, `Latest measurements (${Math.min(10, pts.length)} of ${pts.length})`), recent));
}

// ---- job ------------------------------------------------------------------------------------

async function job(gen, name) {
  if (runsOf !== name) { runsOf = name; runsLimit = 50; }
  const [j, runs] = await Promise.all([api(`/api/jobs/${enc(name)}`), api(`/api/jobs/${enc(name)}/runs?limit=${runsLimit}`),
    loadStatus()]);
  if (gen !== generation) return;
  render(h('p', {class: 'crumbs'}, link('Overview'), ' / job'),
    h('h1', null, name, ' ', runButton(j)),
    h('dl', {class: 'facts'}, fact('Kind', j.kind), fact('Schedule', j.schedule), fact('Next run', when(j.nextFireTime)),
      fact('Targets', j.targets.join(', ')), fact('Window', j.window), fact('Dry run', j.dryRun ? 'yes, always' : 'no'),
      fact('File', h('code', null, j.file))),
    // with H in the schedule each target fires at its own time
    section('Next run per target', table([{name: 'Target'}, {name: 'Next run'}], j.perTarget.map(s => ({cells: [
      link(s.target, 'target', s.target), s.nextFireTime ? when(s.nextFireTime) : 'not scheduled']})),
    {id: 'schedule'})),
    runsSection(runs));
  refresh(gen, () => job(gen, name), 10000);
}

let hideSkipped = false;
let runsOf = null;
let runsLimit = 50;

/** A job's recent runs; a skipped run says why (its summary's reason), and skipped runs can be hidden. */
function runsSection(runs) {
  if (!runs.length) return section('Recent runs (0)', empty('Never run.'));
  const skipped = runs.filter(r => r.status === 'skipped').length;
  const tbl = table([{name: 'Run'}, {name: 'Target'}, {name: 'Trigger'},
    {name: 'Status'}, {name: 'Started'}, {name: 'Duration'}, {name: 'Error or reason', cls: 'wide'}], runs.map(r => ({
    cls: r.status === 'skipped' ? 'skipped' : null, dataset: {status: r.status}, cells: [
      link(`#${r.id}`, 'run', r.id), r.target, r.trigger + (r.dryRun ? ' (dry run)' : ''), statusBadge(r.status),
      when(r.startedAt), f.duration(r.endedAt ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : null),
      {content: r.error || (r.status === 'skipped' && r.summary && r.summary.skipped) || '', key: 'reason'}]})), {id: 'runs'});
  const apply = () => tbl.querySelectorAll('tr.skipped').forEach(row => { row.hidden = hideSkipped; });
  const box = h('input', {type: 'checkbox', id: 'hide-skipped', checked: hideSkipped,
    on: {change: e => { hideSkipped = e.target.checked; apply(); }}});
  apply();
  const more = runs.length === runsLimit && runsLimit < 1000 ? h('button', {type: 'button', class: 'secondary', id: 'runs-more',
    on: {click: () => { runsLimit = Math.min(1000, runsLimit + 200); navigate(); }}}, 'Show older runs') : null;
  return section(`Recent runs (${runs.length})`, skipped ? h('label', {class: 'filter'}, box, ` hide the ${skipped} skipped`) : null,
    rowFilter(tbl, 'Filter', 'run-filter'), tbl, more);
}

// ---- run ------------------------------------------------------------------------------------

async function run(gen, id) {
  const [r] = await Promise.all([api(`/api/runs/${enc(id)}`), status ? null : loadStatus()]);
  if (gen !== generation) return;
  const x = r.run;
  const running = x.status === 'running';
  render(h('p', {class: 'crumbs'}, link('Overview'), ' / ', link(x.job, 'job', x.job), ' / run'),
    h('h1', null, `Run #${x.id} `, h('span', {id: 'run-status'}, statusBadge(x.status))),
    h('dl', {class: 'facts'}, fact('Job', link(x.job, 'job', x.job)), fact('Kind', x.kind),
      fact('Target', link(x.target, 'target', x.target)),
      fact('Trigger', x.trigger + (x.dryRun ? ' (dry run: nothing changed)' : '')),
      fact('Started', h('span', null, f.utc(x.startedAt))), fact('Ended', x.endedAt ? f.utc(x.endedAt) : 'still running'),
      fact('Duration', h('span', {id: 'run-duration'}, running ? `${f.duration(Date.now() - Date.parse(x.startedAt))} so far`
        : f.duration(r.durationMillis))), fact('Instance', x.instanceId)),
    x.error ? section('Error', h('pre', {class: 'error-text', id: 'run-error'}, x.error)) : null,
    running ? section('Progress', progress(x.progress)) : null,
    section('Summary', h('div', {id: 'summary'}, x.summary && Object.keys(x.summary).length ? summaryView(x.summary, r.summaryLayout)
      : empty(running ? 'Written when the run ends.' : 'Empty.')),
    x.summary && Object.keys(x.summary).length ? h('details', {class: 'group', id: 'summary-json'},
      h('summary', null, 'Raw JSON (as GET /api/runs/ID gives it)'), h('pre', {class: 'json'}, JSON.stringify(x.summary, null, 2))) : null),
    section(`Findings of this run (${r.findings.length})`, findingsTable(r.findings, {none: 'This run reported no findings.'})));
  // a running run is redrawn every 2 s so its progress moves; a finished one stays put
  if (running) refresh(gen, () => run(gen, id), 2000);
}

function progress(p) {
  if (!p) return empty('No progress reported yet.');
  const pct = p.percent !== undefined && p.percent !== null ? p.percent
    : p.total ? Math.round(1000 * p.done / p.total) / 10 : null;
  return h('div', {id: 'progress'},
    h('p', null, h('b', {id: 'progress-phase'}, p.phase || 'working'), p.index ? [' · ', h('code', null, p.index)] : null,
      p.label ? ` · ${p.label}` : ''),
    pct !== null ? h('div', {class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct},
      h('div', {class: 'bar-fill', style: null, dataset: {pct}}), h('span', null, `${pct}%`)) : null,
    p.blocksTotal ? h('p', {class: 'small'}, `blocks ${f.count(p.blocksDone)} / ${f.count(p.blocksTotal)}`
      + (p.tuplesTotal ? ` · tuples ${f.count(p.tuplesDone)} / ${f.count(p.tuplesTotal)}` : '')) : null,
    p.total ? h('p', {class: 'small'}, `${f.count(p.done)} / ${f.count(p.total)}`) : null);
}

// ---- routing --------------------------------------------------------------------------------

// ---- audit ----------------------------------------------------------------------------------

const AUDIT_ACTIONS = ['run-now', 'silence-create', 'silence-expire', 'baseline-pin', 'probe-set-retire', 'alert-test', 'reload'];
let auditAction = '';
let auditLimit = 100;

async function audit(gen) {
  const [entries] = await Promise.all([api(`/api/audit?limit=${auditLimit}${auditAction ? `&action=${enc(auditAction)}` : ''}`),
    status ? null : loadStatus()]);
  if (gen !== generation) return;
  const outcome = o => badge(o, {succeeded: 'ok', refused: 'warn', failed: 'crit'}[o] || 'muted');
  const rows = table([{name: 'When'}, {name: 'Action'}, {name: 'Object', cls: 'wide'}, {name: 'Token'}, {name: 'Role'},
    {name: 'Client'}, {name: 'Outcome'}, {name: 'Detail', cls: 'wide'}], entries.map(e => ({dataset: {audit: e.id}, cells: [
    when(e.at), e.action, h('code', null, e.object), e.tokenName || f.DASH, e.role || f.DASH, e.client,
    {content: h('span', null, outcome(e.outcome), ` ${e.status || ''}`), key: 'outcome'}, e.detail || '']})), {id: 'audit'});
  const pick = h('select', {id: 'audit-action', 'aria-label': 'Action', on: {change: e => {
    auditAction = e.target.value; auditLimit = 100; navigate(); }}},
  h('option', {value: ''}, 'every action'), AUDIT_ACTIONS.map(a => h('option', {value: a, selected: a === auditAction}, a)));
  const more = entries.length === auditLimit && auditLimit < 1000 ? h('button', {type: 'button', class: 'secondary', id: 'audit-more',
    on: {click: () => { auditLimit = Math.min(1000, auditLimit + 200); navigate(); }}}, 'Show older entries') : null;
  render(h('p', {class: 'crumbs'}, link('Overview')), h('h1', null, 'Audit trail'),
    h('p', {class: 'muted small'}, 'Every call that changes something and every reload, allowed or refused, newest first.'),
    h('label', {class: 'filter'}, 'Action ', pick), entries.length ? rowFilter(rows, 'Filter', 'audit-filter') : null,
    entries.length ? rows : empty(auditAction ? `No ${auditAction} entries.` : 'Nothing changed through the API yet.'), more);
  refresh(gen, audit, 15000);
}

function render(...nodes) {
  clear(page).append(...nodes.filter(n => n !== null && n !== undefined).flat());
  // widths of progress bars are set here: the page's style policy allows no inline style attributes
  page.querySelectorAll('.bar-fill').forEach(el => { el.style.width = `${el.dataset.pct}%`; });
}

function refresh(gen, fn, millis) {
  clearTimeout(timer);
  timer = setTimeout(() => { if (gen === generation) show(fn, gen); }, millis);
}

async function show(fn, gen) {
  try {
    if (!session) await loadSession();
    if (gen !== generation) return;
    if (session.readAccess === 'token' && !session.caller) {
      signIn(null);
      return;
    }
    await fn(gen);
    banner(null);
  } catch (e) {
    if (gen !== generation) return;
    if (e instanceof ApiError && e.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      session = null;
      signIn('The API refused the token kept for this tab: give another.');
    } else if (e instanceof ApiError && e.status === 404) {
      render(h('p', {class: 'crumbs'}, link('Overview')), h('h1', null, 'Not found'), empty(e.message));
    } else {
      banner(`Cannot reach the pgvector-ops API: ${e.message}. Retrying.`);
      refresh(gen, fn, 5000);
    }
  }
}

function navigate() {
  clearTimeout(timer);
  const gen = ++generation;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [kind, a, b] = parts;
  const pages = {
    '': g => overview(g),
    target: g => target(g, a),
    index: g => index(g, a, b),
    job: g => job(g, a),
    run: g => run(g, a),
    audit: g => audit(g),
  };
  const fn = pages[kind || ''];
  document.title = kind ? `${parts.slice(1).join(' / ')} · pgvector-ops` : 'pgvector-ops';
  if (!fn || (kind && kind !== 'audit' && !a) || (kind === 'index' && !b)) {
    render(h('h1', null, 'Not found'), empty('No such page.'), link('Back to the overview'));
    page.dataset.page = 'not-found';
    page.dataset.ready = String(gen);
    return;
  }
  page.dataset.page = kind || 'overview';
  delete page.dataset.ready;
  show(fn, gen).then(() => { if (gen === generation) page.dataset.ready = String(gen); });
}

triage.init({api, token, operatorDialog, mayDo, whyNot,
  readOnly: () => !status || status.api.readOnly, when, severityBadge, statusBadge, runNow,
  reload: () => { loadSession().then(navigate); }});

window.addEventListener('hashchange', navigate);
navigate();
