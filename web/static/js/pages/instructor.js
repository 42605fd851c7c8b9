// Instructor pages: upload a set with a dry run first, the list of sets
// with versions and retirement, item analysis, and the learners report.
// The two reports may not exist on an older server: a 404 from the
// endpoint itself shows "not available yet".

import { api, ApiError } from '../api.js';
import { h, field, errorBox, replace, clear, announce, fmtDate, fmtNumber, topicName, TOPIC_NAMES } from '../dom.js';

const FORMATS = [
  ['', 'Guess from the file'],
  ['yaml', 'rhitprep YAML'],
  ['json', 'rhitprep JSON'],
  ['csv', 'CSV'],
  ['gift', 'GIFT (Moodle)'],
  ['aiken', 'Aiken'],
  ['moodlexml', 'Moodle XML'],
  ['qti', 'QTI package'],
];

const DOMAINS = [
  ['1', 'Data Content, Structure, and Information Governance'],
  ['2', 'Access, Disclosure, Privacy, and Security'],
  ['3', 'Data Analytics and Use'],
  ['4', 'Revenue Cycle Management'],
  ['5', 'Compliance'],
  ['6', 'Leadership'],
];

// endpointMissing tells a 404 of the route itself (the server does not
// have the report yet) from a 404 about a thing the report was asked for.
function endpointMissing(err) {
  return err instanceof ApiError && err.status === 404 && (!err.message || /no such page or endpoint/i.test(err.message));
}

function notAvailable(what) {
  return h('div', { class: 'notice notice-info', id: 'not-available', role: 'status' },
    h('p', null, h('strong', null, `${what} is not available yet.`), ' This server does not offer the report yet; it will appear here once it does.'));
}

function select(id, options, value) {
  return h('select', { id }, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

function detailsTable(caption, rows, id) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id },
    h('caption', null, caption),
    h('thead', null, h('tr', null, ['Line', 'Item', 'Field', 'Message'].map((x, i) => h('th', { scope: 'col', class: i < 2 ? 'num' : null }, x)))),
    h('tbody', null, [...rows].sort((a, b) => (a.line || 1e9) - (b.line || 1e9) || (a.item || 0) - (b.item || 0)).map((d) => h('tr', null,
      h('td', { class: 'num' }, d.line ? String(d.line) : '–'),
      h('td', { class: 'num' }, d.item ? String(d.item) : '–'),
      h('td', null, d.field || d.path || '–'),
      h('td', null, d.message || ''))))));
}

export async function renderUpload({ root, app }) {
  app.setTitle('Upload a question set');
  const err = errorBox();
  const file = h('input', { type: 'file', id: 'upload-file', accept: '.yaml,.yml,.json,.csv,.txt,.gift,.xml,.zip' });
  const name = h('input', { type: 'text', id: 'upload-name', autocomplete: 'off' });
  const format = select('upload-format', FORMATS, '');
  const topic = select('upload-topic', [['', 'Take it from the file'], ...Object.entries(TOPIC_NAMES)], '');
  const domain = select('upload-domain', [['', 'Take it from the file'], ...DOMAINS.map(([d, n]) => [d, `${d}. ${n}`])], '');
  const dryBtn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'dry-run-btn' }, 'Check the file (dry run)');
  const importBtn = h('button', { type: 'button', class: 'btn', id: 'import-btn', disabled: true, 'aria-describedby': 'import-hint' }, 'Import');
  const report = h('div', { class: 'upload-report', id: 'upload-report', 'aria-live': 'polite' });
  let checked = false;

  const invalidate = () => {
    checked = false;
    importBtn.disabled = true;
    importBtn.textContent = 'Import';
  };
  for (const el of [file, name, format, topic, domain]) el.addEventListener('change', invalidate);
  name.addEventListener('input', invalidate);

  const send = async (dryRun) => {
    err.hide();
    if (!file.files || !file.files.length) {
      err.show('Choose a file to upload.');
      file.focus();
      return null;
    }
    const q = new URLSearchParams();
    if (dryRun) q.set('dry_run', 'true');
    if (format.value) q.set('format', format.value);
    if (name.value.trim()) q.set('name', name.value.trim());
    if (topic.value) q.set('topic', topic.value);
    if (domain.value) q.set('domain', domain.value);
    const fd = new FormData();
    fd.append('file', file.files[0], file.files[0].name);
    return api.post(`/question-sets?${q}`, fd);
  };

  const showProblems = (ex) => {
    clear(report);
    const details = ex.details || [];
    report.append(h('section', { class: 'card report-bad', 'aria-labelledby': 'problems-h' },
      h('h2', { id: 'problems-h' }, h('span', { 'aria-hidden': 'true' }, '✗ '), ex.status === 422 ? `${details.length || 'Some'} problem${details.length === 1 ? '' : 's'}: nothing can be imported` : 'The file was not accepted'),
      h('p', null, ex.message),
      details.length ? detailsTable('Problems to fix, with their place in the file', details, 'problems-table') : null,
      h('p', { class: 'hint' }, 'Fix the file and check it again. An upload is all or nothing: nothing was stored.')));
  };

  const showWarnings = (warnings) => (warnings && warnings.length
    ? [h('h3', null, `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`),
      h('p', null, 'These do not stop the import, but the questions will lack what they name (for example a rationale the format cannot carry).'),
      detailsTable('Warnings: what will not be converted', warnings, 'warnings-table')]
    : [h('p', null, 'No warnings.')]);

  const form = h('form', { class: 'card', id: 'upload-form', novalidate: true, 'aria-labelledby': 'upload-h' },
    err,
    field({ label: 'Question file', input: file, hint: 'rhitprep YAML or JSON, CSV, GIFT, Aiken, Moodle XML or a QTI package.' }),
    field({ label: 'Set name (optional)', input: name, hint: 'Defaults to the file name. A name that exists already makes a new version of that set.' }),
    h('div', { class: 'grid-3' },
      field({ label: 'Format', input: format }),
      field({ label: 'Topic for items without one', input: topic }),
      field({ label: 'RHIT domain for items without one', input: domain })),
    h('div', { class: 'actions' }, dryBtn, importBtn),
    h('p', { class: 'hint', id: 'import-hint' }, 'Import becomes available once a dry run of this file passes.'));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    invalidate();
    dryBtn.disabled = true;
    dryBtn.textContent = 'Checking…';
    try {
      const res = await send(true);
      if (!res) return;
      clear(report);
      const set = res.set || {};
      report.append(h('section', { class: 'card report-ok', 'aria-labelledby': 'dry-h' },
        h('h2', { id: 'dry-h' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Dry run passed: nothing stored yet'),
        h('p', { id: 'dry-summary' }, `${set.questions} question${set.questions === 1 ? '' : 's'} would be imported as “${set.name}”, version ${set.version}.`),
        showWarnings(res.warnings)));
      checked = true;
      importBtn.disabled = false;
      importBtn.textContent = `Import ${set.questions} question${set.questions === 1 ? '' : 's'}`;
      announce('Dry run passed. You can import the set now.');
    } catch (ex) {
      showProblems(ex);
      announce('The dry run found problems.');
    } finally {
      dryBtn.disabled = false;
      dryBtn.textContent = 'Check the file (dry run)';
    }
  });

  importBtn.addEventListener('click', async () => {
    if (!checked) return;
    importBtn.disabled = true;
    importBtn.textContent = 'Importing…';
    try {
      const res = await send(false);
      if (!res) return;
      const set = res.set || {};
      clear(report);
      report.append(h('section', { class: 'card report-ok', 'aria-labelledby': 'imported-h' },
        h('h2', { id: 'imported-h', tabindex: '-1' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Imported'),
        h('p', { id: 'import-summary' }, `“${set.name}” version ${set.version} now has ${set.questions} question${set.questions === 1 ? '' : 's'}. New quizzes draw from it at once.`),
        showWarnings(res.warnings),
        h('p', null, h('a', { href: '#/instructor/sets' }, 'See all question sets'))));
      checked = false;
      importBtn.textContent = 'Import';
      document.getElementById('imported-h').focus();
    } catch (ex) {
      showProblems(ex);
      importBtn.textContent = 'Import';
    }
  });

  root.append(h('h1', { id: 'upload-h' }, 'Upload a question set'),
    h('p', { class: 'lead' }, 'Check a file with a dry run first: it lists every problem with its line, and what will not be converted. Nothing is stored until you import.'),
    form, report);
}

export async function renderSets(ctx) {
  const { root, app } = ctx;
  app.setTitle('Question sets');
  root.append(h('h1', null, 'Question sets'),
    h('p', { class: 'lead' }, 'Every set with its current version. Retiring a set stops new quizzes from drawing its questions; past attempts keep their scores.'));
  const box = h('div', { id: 'sets-box' });
  const msg = h('div', { role: 'status', class: 'sr-only' });
  root.append(msg, box);

  const dlgText = h('p', { id: 'retire-text' });
  const confirm = h('button', { type: 'button', class: 'btn btn-danger', id: 'confirm-retire' }, 'Retire set');
  const cancel = h('button', { type: 'button', class: 'btn', id: 'cancel-retire' }, 'Cancel');
  const dlg = h('dialog', { class: 'dialog', id: 'retire-dialog', 'aria-labelledby': 'retire-h', 'aria-describedby': 'retire-text' },
    h('h2', { id: 'retire-h' }, 'Retire this set?'), dlgText, h('div', { class: 'actions' }, cancel, confirm));
  root.append(dlg);
  let target = null;
  cancel.addEventListener('click', () => dlg.close());
  confirm.addEventListener('click', async () => {
    dlg.close();
    if (!target) return;
    try {
      await api.del(`/question-sets/${encodeURIComponent(target.id)}`);
      announce(`${target.name} retired.`);
      msg.textContent = `${target.name} retired.`;
      await load();
      const row = document.getElementById(`set-${target.id}`);
      if (row) row.querySelector('th').focus();
    } catch (ex) {
      replace(box, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', null, ex.message)));
    }
  });

  async function load() {
    const data = await api.get('/question-sets');
    const sets = data.sets || [];
    if (!sets.length) {
      replace(box, h('p', null, 'No sets yet. ', h('a', { href: '#/instructor/upload' }, 'Upload one'), '.'));
      return;
    }
    replace(box, h('div', { class: 'table-wrap card' }, h('table', { class: 'table', id: 'sets-table' },
      h('caption', { class: 'sr-only' }, 'Question sets'),
      h('thead', null, h('tr', null, ['Name', 'Version', 'Questions', 'Source', 'Updated', 'Status', 'Actions'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, sets.map((st) => {
        const retire = h('button', { type: 'button', class: 'btn btn-small btn-danger-quiet', id: `retire-${st.id}` }, 'Retire', h('span', { class: 'sr-only' }, ` ${st.name}`));
        retire.addEventListener('click', () => {
          target = st;
          dlgText.textContent = `“${st.name}” (${st.questions} questions) will no longer be drawn for new quizzes and exams. Past attempts and their scores stay as they were.`;
          dlg.showModal();
          cancel.focus();
        });
        return h('tr', { id: `set-${st.id}`, class: st.retired ? 'row-retired' : null },
          h('th', { scope: 'row', tabindex: '-1' }, st.name, st.description ? h('span', { class: 'cell-note' }, st.description) : null),
          h('td', { class: 'num' }, `v${st.version}`),
          h('td', { class: 'num' }, String(st.questions)),
          h('td', null, st.source === 'shipped' ? 'Shipped bank' : st.source === 'upload' ? 'Uploaded' : (st.source || '–')),
          h('td', null, fmtDate(st.updated_at || st.created_at)),
          h('td', null, st.retired ? h('span', { class: 'tag tag-retired' }, 'Retired') : h('span', { class: 'tag tag-active' }, 'Active')),
          h('td', { class: 'cell-actions' },
            h('a', { href: `/api/v1/question-sets/${encodeURIComponent(st.id)}/export?format=yaml`, download: `${st.name}.yaml`, class: 'btn btn-small btn-quiet' }, 'Export YAML', h('span', { class: 'sr-only' }, ` of ${st.name}`)),
            h('a', { href: `/api/v1/question-sets/${encodeURIComponent(st.id)}/export?format=gift`, download: `${st.name}.gift`, class: 'btn btn-small btn-quiet' }, 'Export GIFT', h('span', { class: 'sr-only' }, ` of ${st.name}`)),
            h('a', { href: `#/instructor/items?set=${encodeURIComponent(st.id)}`, class: 'btn btn-small btn-quiet' }, 'Item analysis', h('span', { class: 'sr-only' }, ` of ${st.name}`)),
            st.retired ? null : retire));
      })))));
  }
  await load();
}

function pct(x) {
  return x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`;
}

// dubious names what makes an item worth a second look.
export function dubious(item, key) {
  const why = [];
  const f = item.facility;
  const d = item.discrimination;
  if (typeof f === 'number' && f < 0.3) why.push('very hard (under 30% right)');
  if (typeof f === 'number' && f > 0.95) why.push('very easy (over 95% right)');
  if (typeof d === 'number' && d < 0) why.push('negative discrimination: stronger learners miss it more');
  else if (typeof d === 'number' && d < 0.2) why.push('low discrimination (under 0.20)');
  const dist = item.distractors || {};
  if (key && key.length === 1 && typeof dist[key[0]] === 'number') {
    const keyCount = dist[key[0]];
    for (const [opt, n] of Object.entries(dist)) {
      if (opt !== 'blank' && !key.includes(opt) && n > keyCount) why.push(`option ${opt} is chosen more often than the key`);
    }
  }
  return why;
}

export async function renderItems(ctx) {
  const { root, app, query } = ctx;
  app.setTitle('Item analysis');
  root.append(h('h1', null, 'Item analysis'),
    h('p', { class: 'lead' }, 'How each question performs: facility (share answering right), discrimination (whether stronger learners do better on it), and how often each option is chosen. First attempts only.'));
  const data = await api.get('/question-sets');
  if (!ctx.alive()) return;
  // Active sets first: they are the ones worth analysing.
  const sets = (data.sets || []).slice().sort((a, b) => Number(Boolean(a.retired)) - Number(Boolean(b.retired)));
  const setSel = select('items-set', sets.map((st) => [st.id, `${st.name} (v${st.version}${st.retired ? ', retired' : ''})`]), query.get('set') || (sets[0] && sets[0].id));
  const minResp = h('input', { type: 'number', id: 'items-min', min: 1, max: 100000, value: /^\d+$/.test(query.get('min') || '') ? query.get('min') : '10', class: 'input-short', inputmode: 'numeric' });
  const showBtn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'items-show' }, 'Show analysis');
  const out = h('div', { id: 'items-out', 'aria-live': 'polite' });
  const form = h('form', { class: 'card form-row', novalidate: true },
    field({ label: 'Question set', input: setSel }),
    field({ label: 'Minimum responses for figures', input: minResp }),
    h('div', { class: 'actions' }, showBtn));
  root.append(form, out);

  async function show() {
    replace(out, h('p', { class: 'muted' }, 'Loading…'));
    const id = setSel.value;
    if (!id) {
      replace(out, h('p', null, 'No question sets yet.'));
      return;
    }
    const min = Math.max(1, Number(minResp.value) || 10);
    let report;
    let detail = null;
    try {
      [report, detail] = await Promise.all([
        api.get(`/reports/items?set=${encodeURIComponent(id)}&min_responses=${min}`),
        api.get(`/question-sets/${encodeURIComponent(id)}`).catch(() => null),
      ]);
    } catch (ex) {
      if (!ctx.alive()) return;
      if (endpointMissing(ex)) replace(out, notAvailable('Item analysis'));
      else replace(out, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', null, ex.message)));
      return;
    }
    if (!ctx.alive()) return;
    out.dataset.min = String(min);
    const qs = new Map(((detail && detail.questions) || []).map((q) => [q.id, q]));
    const items = report.items || [];
    const kr20 = report.reliability && report.reliability.kr20;
    const keyOf = (it) => {
      const q = qs.get(it.question_id);
      return q && Array.isArray(q.answer) ? q.answer : null;
    };
    // The server's own judgement when it sends one; else ours.
    const whyOf = (it) => (Array.isArray(it.flags) ? it.flags : dubious(it, keyOf(it)));
    const flagged = items.filter((it) => whyOf(it).length);
    const onlyDubious = h('input', { type: 'checkbox', id: 'only-dubious' });
    const tbody = h('tbody', null, items.map((it) => {
      const q = qs.get(it.question_id);
      const key = keyOf(it);
      const why = whyOf(it);
      const dist = it.distractors || {};
      const stem = it.stem || (q && q.stem) || '';
      return h('tr', { class: why.length ? 'row-dubious' : null, dataset: { dubious: why.length ? 'true' : 'false' } },
        h('th', { scope: 'row' }, h('span', { class: 'mono' }, it.question_id), stem ? h('span', { class: 'cell-note' }, stem.length > 110 ? `${stem.slice(0, 110)}…` : stem) : null),
        h('td', { class: 'num' }, String(it.responses ?? '–')),
        h('td', { class: 'num' }, pct(it.facility)),
        h('td', { class: 'num' }, it.discrimination === null || it.discrimination === undefined ? '–' : fmtNumber(it.discrimination, 2)),
        h('td', null, Object.entries(dist).map(([opt, n]) => h('span', { class: ['dist', key && key.includes(opt) && 'dist-key'] },
          opt === 'blank' ? 'blank' : opt, key && key.includes(opt) ? h('span', { class: 'sr-only' }, ' (key)') : null, `: ${n}`))),
        h('td', null, why.length ? h('span', { class: 'dubious-note' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), `Review: ${why.join('; ')}`) : '–'));
    }));
    onlyDubious.addEventListener('change', () => {
      for (const tr of tbody.children) tr.hidden = onlyDubious.checked && tr.dataset.dubious !== 'true';
    });
    replace(out,
      h('section', { class: 'card', 'aria-labelledby': 'rel-h' },
        h('h2', { id: 'rel-h' }, 'Reliability'),
        h('p', null, typeof kr20 === 'number'
          ? [`KR-20 (Cronbach's alpha): `, h('strong', { id: 'kr20' }, fmtNumber(kr20, 2)), kr20 >= 0.7 ? ' — acceptable for a practice set.' : ' — low: scores on this set are not yet consistent.']
          : 'Not enough responses yet for a reliability figure.'),
        report.reliability && typeof report.reliability.attempts === 'number'
          ? h('p', { class: 'muted' }, `From ${report.reliability.attempts} first attempt${report.reliability.attempts === 1 ? '' : 's'}${typeof report.learners === 'number' ? ` by ${report.learners} learner${report.learners === 1 ? '' : 's'}` : ''}. Questions with too few responses for a figure show “–”.`)
          : null,
        h('p', null, `${flagged.length} of ${items.length} questions are highlighted for review.`)),
      items.length
        ? h('section', { class: 'card', 'aria-labelledby': 'items-h' },
          h('h2', { id: 'items-h' }, 'Questions'),
          h('div', { class: 'check' }, onlyDubious, h('label', { for: 'only-dubious' }, 'Show only the questions to review')),
          h('p', { class: 'hint' }, 'Highlighted rows need a second look. In “Options chosen” the key is bold and underlined.'),
          h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'items-table' },
            h('caption', { class: 'sr-only' }, 'Item analysis, highlighted rows need review'),
            h('thead', null, h('tr', null, ['Question', 'Responses', 'Facility', 'Discrimination', 'Options chosen', 'Review'].map((x) => h('th', { scope: 'col' }, x)))),
            tbody)))
        : h('p', null, 'No responses to this set yet.'));
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    show();
  });
  if (sets.length) await show();
}

function cell(key, value) {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') {
    if (/accuracy|mastery|probability|rate|facility/i.test(key) && value >= 0 && value <= 1) return `${Math.round(value * 100)}%`;
    return fmtNumber(value, 2);
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') {
    if (/^\d{4}-\d\d-\d\dT/.test(value)) return fmtDate(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  return Object.entries(value).map(([k, v]) => `${k}: ${cell(k, v)}`).join('; ');
}

function heading(key) {
  const t = key.replace(/_/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

const KNOWN = new Set(['user', 'username', 'id', 'user_id', 'role', 'exams', 'last_exam_at', 'last_active', 'answered', 'accuracy', 'topics', 'weak_topics', 'readiness']);

function learnerRow(r, extra) {
  const name = (r.user && r.user.username) || r.username || '–';
  const role = (r.user && r.user.role) || r.role;
  const topics = Array.isArray(r.topics) ? r.topics : [];
  const weak = Array.isArray(r.weak_topics) ? r.weak_topics : topics.filter((t) => t.weak).map((t) => t.topic);
  const rd = r.readiness;
  return h('tr', null,
    h('th', { scope: 'row' }, name, role && role !== 'learner' ? h('span', { class: 'cell-note' }, role) : null),
    h('td', { class: 'num' }, cell('exams', r.exams)),
    h('td', null, cell('last', r.last_exam_at || r.last_active)),
    h('td', { class: 'num' }, cell('answered', r.answered)),
    h('td', { class: 'num' }, cell('accuracy', r.accuracy)),
    h('td', null, topics.length
      ? h('ul', { class: 'mini-list' }, topics.map((t) => h('li', null,
        `${topicName(t.topic)}: ${t.answered ? cell('accuracy', t.accuracy) : '–'}`,
        typeof t.mastery === 'number' && t.answered ? ` (mastery ${cell('mastery', t.mastery)})` : '')))
      : '–'),
    h('td', null, weak.length ? weak.map((t) => topicName(t)).join(', ') : '–'),
    h('td', null, rd ? `${rd.predicted_scaled ?? '–'}${typeof rd.pass_probability === 'number' ? ` · ${Math.round(rd.pass_probability * 100)}% to pass` : ''}` : '–'),
    extra.map((k) => h('td', null, cell(k, r[k]))));
}

export async function renderLearners(ctx) {
  const { root, app } = ctx;
  app.setTitle('Learners');
  root.append(h('h1', null, 'Learners'),
    h('p', { class: 'lead' }, 'Each learner\'s progress in one table, and as a CSV file for a spreadsheet.'));
  let data;
  try {
    data = await api.get('/reports/learners');
  } catch (ex) {
    if (!ctx.alive()) return;
    if (endpointMissing(ex)) {
      root.append(notAvailable('The learners report'));
      return;
    }
    throw ex;
  }
  if (!ctx.alive()) return;
  let rows = Array.isArray(data) ? data : data && data.learners;
  if (!Array.isArray(rows)) rows = Object.values(data || {}).find((v) => Array.isArray(v)) || [];
  root.append(h('p', { class: 'actions' },
    h('a', { class: 'btn btn-primary', id: 'learners-csv', href: '/api/v1/reports/learners?format=csv', download: 'learners.csv' }, 'Download CSV')));
  if (!rows.length) {
    root.append(h('p', null, 'No learners yet.'));
    return;
  }
  const extra = [];
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (!KNOWN.has(k) && !extra.includes(k) && (v === null || typeof v !== 'object')) extra.push(k);
    }
  }
  const headers = ['Learner', 'Exams', 'Last exam', 'Answered', 'Accuracy', 'By topic', 'Weak topics', 'Readiness', ...extra.map(heading)];
  root.append(h('div', { class: 'table-wrap card' }, h('table', { class: 'table', id: 'learners-table' },
    h('caption', { class: 'sr-only' }, 'Learners report'),
    h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r) => learnerRow(r, extra))))));
}
