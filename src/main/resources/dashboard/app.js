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
  const dialog = document.getElementById('run-dialog');
  const form = clear(dialog.querySelector('form'));
  const error = h('p', {class: 'error', role: 'alert', hidden: true});
  const targetSelect = h('select', {name: 'target', id: 'run-target'},
    job.targets.map(t => h('option', {value: t}, t)));
  const tokenInput = h('input', {type: 'password', name: 'token', id: 'run-token', autocomplete: 'off',
    required: true, placeholder: 'an operator token'});
  const dry = h('input', {type: 'checkbox', name: 'dryRun', id: 'run-dry', checked: job.dryRun, disabled: job.dryRun});
  form.append(
    h('h2', null, `Run ${job.name} now`),
    h('p', {class: 'muted small'}, `${job.kind} · ${job.file}`),
    job.targets.length > 1 ? h('label', null, 'Target ', targetSelect) : h('p', null, 'Target: ', h('b', null, job.targets[0])),
    h('label', {class: 'check'}, dry, ' dry run (plan only, change nothing)'),
    token() ? null : h('label', null, 'API token ', tokenInput,
      h('span', {class: 'muted small'}, 'kept in this browser tab only, until it closes')),
    error,
    h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'secondary', on: {click: () => dialog.close()}}, 'Cancel'),
      h('button', {type: 'submit', id: 'run-submit'}, 'Run')));
  form.onsubmit = async ev => {
    ev.preventDefault();
    const given = token() || tokenInput.value.trim();
    if (!given) { error.hidden = false; error.textContent = 'The API token is needed to start a run.'; return; }
    const target = job.targets.length > 1 ? targetSelect.value : job.targets[0];
    try {
      const r = await api(`/api/jobs/${enc(job.name)}/run?target=${enc(target)}&dryRun=${dry.checked}`,
        {method: 'POST', headers: {Accept: 'application/json', Authorization: `Bearer ${given}`}});
      sessionStorage.setItem(TOKEN_KEY, given);
      dialog.close();
      await loadSession();
      drawHeader();
      location.hash = route('run', r.runId);
    } catch (e) {
      if (e.status === 401) sessionStorage.removeItem(TOKEN_KEY);
      error.hidden = false;
      error.textContent = e.status === 401 ? 'The API refused this token.' : e.message;
    }
  };
  dialog.showModal();
  (token() ? dialog.querySelector('#run-submit') : tokenInput).focus();
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

function severityBadge(s) {
  return badge(s, {critical: 'crit', warning: 'warn', info: 'info'}[s] || 'muted');
}

function findingsTable(findings, opts = {}) {
  if (!findings.length) return empty(opts.none || 'No open findings.');
  const cols = [{name: 'Severity'}, {name: 'Target'}, {name: 'Object'}, {name: 'Kind'}, {name: 'Message', cls: 'wide'},
    {name: 'Since'}, {name: 'Run'}];
  return table(cols, findings.map(x => ({cells: [
    {content: severityBadge(x.severity), sort: x.severity},
    link(x.target, 'target', x.target), h('code', null, x.object), x.kind, x.message,
    {content: when(x.firstSeen), sort: x.firstSeen},
    link(`#${x.lastRunId}`, 'run', x.lastRunId)]})), {cls: 'findings'});
}

const SEVERITY_ORDER = {critical: 0, warning: 1, info: 2};

// ---- overview -------------------------------------------------------------------------------

async function overview(gen) {
  const [st, jobs, alerts, findings] = await Promise.all([loadStatus(), api('/api/jobs'),
    api('/api/alerts?state=firing&limit=500'), api('/api/findings?state=open&limit=5000')]);
  if (gen !== generation) return;
  const up = st.targets.filter(t => t.state === 'up').length;
  const down = st.targets.filter(t => t.state === 'down').length;
  const firing = alerts.filter(a => !a.silenced);
  const crit = findings.filter(x => x.severity === 'critical').length;
  const warn = findings.filter(x => x.severity === 'warning').length;
  const failedJobs = jobs.filter(j => j.lastRun && j.lastRun.status === 'failed');

  const tile = (id, label, value, kind, note) => h('div', {class: 'tile ' + kind, id},
    h('div', {class: 'tile-value'}, value), h('div', {class: 'tile-label'}, label), note ? h('div', {class: 'small'}, note) : null);
  const tiles = h('div', {class: 'tiles'},
    tile('tile-targets', 'targets up', `${up} / ${st.targets.length}`, down ? 'crit' : up === st.targets.length ? 'ok' : 'warn',
      down ? `${down} down` : null),
    tile('tile-alerts', 'alerts firing', String(firing.length), firing.some(a => a.alert.severity === 'critical') ? 'crit'
      : firing.length ? 'warn' : 'ok', alerts.length - firing.length ? `${alerts.length - firing.length} silenced` : null),
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

  const alertRows = alerts.slice().sort((a, b) => (SEVERITY_ORDER[a.alert.severity] - SEVERITY_ORDER[b.alert.severity])
    || a.alert.startedAt.localeCompare(b.alert.startedAt));
  const alertTable = alerts.length ? table([{name: 'Severity'}, {name: 'Target'}, {name: 'Object'}, {name: 'Kind'},
    {name: 'Message', cls: 'wide'}, {name: 'Since'}, {name: 'Silenced'}], alertRows.map(a => ({
    cls: a.silenced ? 'silenced' : null, dataset: {alert: a.alert.id}, cells: [
      severityBadge(a.alert.severity), link(a.alert.target, 'target', a.alert.target), h('code', null, a.alert.object),
      a.alert.kind, a.alert.message, when(a.alert.startedAt), a.silenced ? badge('silenced', 'muted') : 'no']})),
  {id: 'alerts'}) : empty('No alerts firing.');

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
      counts.map(([s, n]) => [severityBadge(`${n} ${s}`), ' '])),
    findingsTable(list));
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
    section(`Firing alerts (${alerts.length})`, alertTable),
    section(`Open findings by job (${findings.length})`, findingGroups.length ? h('div', {id: 'findings'}, findingGroups)
      : empty('No open findings.')),
    section('Jobs: next and last runs', jobTable));
  applyTargetFilter(st);
  refresh(gen, overview, 15000);
}

// ---- target ---------------------------------------------------------------------------------

function methodText(i, withOpclass = true) {
  const opts = Object.entries(i.options || {}).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${i.method}${opts ? ` (${opts})` : ''}${withOpclass ? ' ' + i.opclass : ''}`;
}

async function target(gen, name) {
  const [t, findings] = await Promise.all([api(`/api/targets/${encTarget(name)}`),
    api(`/api/findings?state=open&target=${enc(name)}&limit=5000`), loadStatus()]);
  const cap = await capacity(name);
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
  render(h('p', {class: 'crumbs'}, link('Overview'), ' / target'),
    h('h1', null, name, ' ', badge(t.state, {up: 'ok', down: 'crit'}[t.state] || 'muted')),
    h('dl', {class: 'facts'},
      fact('PostgreSQL', t.serverVersion), fact('Support ends', supportEnds(t)),
      fact('pgvector', t.pgvectorVersion && t.pgvectorAvailable && t.pgvectorAvailable !== t.pgvectorVersion
        ? `${t.pgvectorVersion} (${t.pgvectorAvailable} available on the server)` : t.pgvectorVersion),
      fact('Role', t.inRecovery === null ? f.DASH : t.inRecovery ? 'standby: no job writes here' : 'primary'),
      fact('Checked', when(t.checkedAt)), fact('Extensions', ext), t.error ? fact('Error', t.error) : null),
    section(`pgvector advisories (${t.advisories.length})`, h('div', {id: 'advisories'},
      findingsTable(t.advisories, {none: 'No known pgvector defect applies to this database.'}))),
    section(`Vector indexes (${t.vectorIndexes.length})`, indexTable),
    capacitySection(cap),
    section(`Open findings (${findings.length})`, findingsTable(findings)));
  refresh(gen, () => target(gen, name), 30000);
}

// ---- capacity (on the target page) -----------------------------------------------------------

/** The latest capacity run on the target and its index history; null without a capacity job. */
async function capacity(name) {
  const jobs = await api('/api/jobs');
  const job = jobs.find(j => j.kind === 'capacity' && j.targets.includes(name));
  if (!job) return null;
  const [runs, history] = await Promise.all([api(`/api/jobs/${enc(job.name)}/runs?limit=50`),
    api(`/api/targets/${encTarget(name)}/history`)]);
  const run = runs.find(r => r.target === name && r.status === 'succeeded');
  return {job, run, history};
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
      points.length ? lineChart({id: `capacity-${i.index}`, title: 'size', series,
        hlines: [{v: s.settings.sharedBuffers, label: 'shared_buffers', cls: 'limit'},
          {v: s.settings.effectiveCacheSize, label: 'effective_cache_size', cls: 'limit'}],
        y: {min: 0, format: f.bytes}}) : empty('No history yet: health records one sample a day.'));
  });
  return section('Capacity', h('div', {id: 'capacity'},
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

function fact(name, value) {
  return [h('dt', null, name), h('dd', null, value === null || value === undefined ? f.DASH : value)];
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

async function index(gen, targetName, name) {
  const [t, findings] = await Promise.all([api(`/api/targets/${encTarget(targetName)}`),
    api(`/api/findings?state=open&target=${enc(targetName)}&limit=5000`), loadStatus()]);
  const i = t.vectorIndexes.find(x => `${x.schema}.${x.name}` === name);
  // an index with no measurement has no series: do not ask (the API would answer 404)
  const series = i && i.regression ? await api(`/api/regression/${encTarget(targetName)}/${enc(name)}`) : null;
  if (gen !== generation) return;
  const mine = findings.filter(x => x.object === name);
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
  parts.push(section('Tuning advice', advice.length
    ? h('div', {id: 'advice'}, advice.map(a => h('p', {class: 'advice'}, a.message)))
    : empty(series ? 'None open: the latest measurement meets the recall target at the current settings.'
      : 'None yet: the regression job gives advice once it has measured this index.')));
  if (!series) {
    parts.push(section('Recall and latency', empty('No regression measurements of this index yet: '
      + 'configure a job of kind regression for it (see jobs/regression.yml).')));
  } else {
    const rebuilds = series.rebuilds.map(r => ({t: Date.parse(r.endedAt),
      label: `rebuilt ${f.utc(r.endedAt)} (run ${r.runId}): ${r.reason}`}));
    for (const set of series.probeSets) {
      parts.push(probeSetSection(set, rebuilds, setting));
    }
  }
  parts.push(section(`Open findings of this index (${mine.length})`, findingsTable(mine)));
  render(...parts);
  refresh(gen, () => index(gen, targetName, name), 60000);
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

function probeSetSection(set, rebuilds, setting) {
  const k = set.spec.k;
  const pts = set.points;
  const b = set.baseline;
  // the target the latest run judged against (points from before targets were kept have none)
  const target = pts.length ? pts[pts.length - 1].targetRecall : undefined;
  const lowest = Math.min(...pts.map(p => p.recall), b ? b.recall : 1, target || 1);
  const recallChart = lineChart({id: `recall-${set.id}`, title: `recall@${k}`,
    y: {min: Math.max(0, lowest - 0.05), max: 1, format: v => v.toFixed(2)},
    series: [{name: `recall@${k}`, cls: 's1', points: pts.map(p => ({t: Date.parse(p.measuredAt), v: p.recall,
      title: `${f.utc(p.measuredAt)}: recall ${f.recall(p.recall)}${p.note ? ' · ' + p.note : ''}`}))}],
    hlines: [b ? {v: b.recall, label: `baseline ${f.recall(b.recall)} (${b.reason})`, cls: 'base'} : null,
      target ? {v: target, label: `target ${f.recall(target)}`, cls: 'target'} : null].filter(Boolean),
    vlines: rebuilds});
  const latencyChart = lineChart({id: `latency-${set.id}`, title: 'latency (ms)', y: {min: 0, format: v => String(+v.toFixed(2))},
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
    h('div', {class: 'charts'}, recallChart, latencyChart),
    sweep ? h('details', {class: 'group'}, h('summary', null, `${setting} sweep, ${f.utc(set.tuning.measuredAt)}`), sweep) : null,
    h('details', {class: 'group'}, h('summary', null, `Latest measurements (${Math.min(10, pts.length)} of ${pts.length})`), recent));
}

// ---- job ------------------------------------------------------------------------------------

async function job(gen, name) {
  const [j, runs] = await Promise.all([api(`/api/jobs/${enc(name)}`), api(`/api/jobs/${enc(name)}/runs?limit=50`), loadStatus()]);
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
    section(`Recent runs (${runs.length})`, runs.length ? table([{name: 'Run'}, {name: 'Target'}, {name: 'Trigger'},
      {name: 'Status'}, {name: 'Started'}, {name: 'Duration'}, {name: 'Error', cls: 'wide'}], runs.map(r => ({cells: [
      link(`#${r.id}`, 'run', r.id), r.target, r.trigger + (r.dryRun ? ' (dry run)' : ''), statusBadge(r.status),
      when(r.startedAt), f.duration(r.endedAt ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : null), r.error || '']})),
    {id: 'runs'}) : empty('Never run.')));
  refresh(gen, () => job(gen, name), 10000);
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
    section('Summary', h('div', {id: 'summary'}, x.summary && Object.keys(x.summary).length ? value(x.summary)
      : empty(running ? 'Written when the run ends.' : 'Empty.'))),
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

/** A run summary of any job kind: objects as lists of facts, lists of like objects as tables. */
function value(v, depth = 0) {
  if (v === null || v === undefined) return f.DASH;
  if (Array.isArray(v)) {
    if (!v.length) return h('span', {class: 'muted'}, 'none');
    if (v.every(e => e && typeof e === 'object' && !Array.isArray(e))) {
      const keys = [...new Set(v.flatMap(e => Object.keys(e)))];
      return table(keys.map(k => ({name: k})), v.map(e => ({cells: keys.map(k => value(e[k], depth + 1))})), {cls: 'compact'});
    }
    return v.map(e => (typeof e === 'object' ? JSON.stringify(e) : String(e))).join(', ');
  }
  if (typeof v === 'object') {
    if (depth > 2) return h('code', null, JSON.stringify(v));
    return h('dl', {class: 'facts nested'}, Object.entries(v).map(([k, e]) => fact(k, value(e, depth + 1))));
  }
  return String(v);
}

// ---- routing --------------------------------------------------------------------------------

// ---- audit ----------------------------------------------------------------------------------

async function audit(gen) {
  const [entries] = await Promise.all([api('/api/audit?limit=200'), status ? null : loadStatus()]);
  if (gen !== generation) return;
  const outcome = o => badge(o, {succeeded: 'ok', refused: 'warn', failed: 'crit'}[o] || 'muted');
  const rows = table([{name: 'When'}, {name: 'Action'}, {name: 'Object', cls: 'wide'}, {name: 'Token'}, {name: 'Role'},
    {name: 'Client'}, {name: 'Outcome'}, {name: 'Detail', cls: 'wide'}], entries.map(e => ({dataset: {audit: e.id}, cells: [
    when(e.at), e.action, h('code', null, e.object), e.tokenName || f.DASH, e.role || f.DASH, e.client,
    {content: h('span', null, outcome(e.outcome), ` ${e.status || ''}`), key: 'outcome'}, e.detail || '']})), {id: 'audit'});
  render(h('p', {class: 'crumbs'}, link('Overview')), h('h1', null, 'Audit trail'),
    h('p', {class: 'muted small'}, 'Every call that changes something and every reload, allowed or refused, newest first.'),
    entries.length ? rows : empty('Nothing changed through the API yet.'));
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
    return;
  }
  page.dataset.page = kind || 'overview';
  delete page.dataset.ready;
  show(fn, gen).then(() => { if (gen === generation) page.dataset.ready = String(gen); });
}

window.addEventListener('hashchange', navigate);
navigate();
