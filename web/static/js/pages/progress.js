// The progress dashboard: accuracy (and mastery, when the server reports
// it) per topic, the trend over time, readiness with its uncertainty, due
// reviews, and pacing against the exam's 84 s per question. Fields the
// server does not send are simply not shown.

import { api } from '../api.js';
import { h, fmtDate, fmtShortDate, fmtPercent, modeName, topicName, field, errorBox, replace, announce } from '../dom.js';
import { barChart, lineChart } from '../charts.js';
import { readinessPanel } from './start.js';
import { PACE_S, WEAK_BELOW } from './result.js';

const PACING_EXAMS = 8;

async function pacing(history) {
  const recent = history.slice().sort((a, b) => Date.parse(b.finished_at) - Date.parse(a.finished_at)).slice(0, PACING_EXAMS);
  const results = await Promise.all(recent.map((x) => api.get(`/exams/${encodeURIComponent(x.exam_id)}/result`).catch(() => null)));
  const rows = [];
  results.forEach((r, i) => {
    if (!r || !r.items) return;
    const timed = r.items.filter((it) => typeof it.time_spent_s === 'number' && it.time_spent_s > 0);
    if (!timed.length) return;
    const avg = timed.reduce((a, it) => a + it.time_spent_s, 0) / timed.length;
    rows.push({ when: recent[i].finished_at, mode: r.mode, avg, n: timed.length });
  });
  return rows.reverse();
}

export async function render(ctx) {
  const { root, app } = ctx;
  app.setTitle('Progress');
  const [progress, topics] = await Promise.all([api.get('/progress'), app.topics().catch(() => [])]);
  if (!ctx.alive()) return undefined;
  root.append(h('h1', null, 'Progress'));
  const ts = progress.topics || [];
  const history = progress.history || [];
  const answered = ts.reduce((a, t) => a + (t.answered || 0), 0);
  const correct = ts.reduce((a, t) => a + (t.correct || 0), 0);

  if (!answered && !history.length) {
    root.append(h('div', { class: 'card' },
      h('p', null, 'No answers yet. Your progress appears here after your first quiz or exam.'),
      h('p', null, h('a', { class: 'btn btn-primary', href: '#/' }, 'Start practising'))));
    return undefined;
  }

  // Headline figures.
  const figures = [
    h('div', { class: 'score-figure' }, h('span', { class: 'big-number', id: 'total-answered' }, String(answered)), h('span', null, 'questions answered')),
    h('div', { class: 'score-figure' }, h('span', { class: 'big-number' }, answered ? fmtPercent((100 * correct) / answered) : '–'), h('span', null, 'answered correctly')),
    h('div', { class: 'score-figure' }, h('span', { class: 'big-number' }, String(history.length)), h('span', null, 'attempts finished')),
  ];
  if (typeof progress.due_reviews === 'number') {
    figures.push(h('div', { class: 'score-figure' }, h('span', { class: 'big-number', id: 'due-reviews' }, String(progress.due_reviews)),
      h('span', null, 'reviews due '), progress.due_reviews > 0 ? h('a', { href: '#/', class: 'figure-link' }, 'Start a review') : null));
  }
  root.append(h('section', { class: 'card', 'aria-labelledby': 'glance-h' }, h('h2', { id: 'glance-h' }, 'At a glance'), h('div', { class: 'score-figures' }, figures)));

  const insights = readinessPanel(progress, app);
  if (insights.length) root.append(h('div', { class: 'grid-2' }, insights));

  // Per topic.
  const hasMastery = ts.some((t) => typeof t.mastery === 'number');
  const rows = ts.map((t) => {
    const acc = (t.accuracy || 0) * 100;
    const weak = 'weak' in t ? t.weak : t.answered > 0 && acc < WEAK_BELOW;
    const text = t.answered ? `${t.correct} of ${t.answered} right` : 'not started';
    return {
      label: topicName(t.topic, topics) + (weak ? ' (work on this)' : ''),
      value: t.answered ? acc : 0,
      text: hasMastery && typeof t.mastery === 'number' && t.answered ? `${text} · mastery ${fmtPercent(t.mastery * 100)}` : text,
      className: weak ? 'bar-weak' : null,
      marker: hasMastery && typeof t.mastery === 'number' ? t.mastery * 100 : undefined,
      range: typeof t.mastery_low === 'number' && typeof t.mastery_high === 'number' && t.answered ? [t.mastery_low * 100, t.mastery_high * 100] : undefined,
      markerLabel: hasMastery && typeof t.mastery === 'number' ? `Mastery ${fmtPercent(t.mastery * 100)}` : undefined,
    };
  });
  const topicTable = ts.map((t) => {
    const r = [topicName(t.topic, topics), String(t.answered), String(t.correct), t.answered ? fmtPercent(t.accuracy * 100) : '–'];
    if (hasMastery) r.push(typeof t.mastery === 'number' ? fmtPercent(t.mastery * 100) : '–');
    return r;
  });
  const headers = ['Topic', 'Answered', 'Correct', 'Accuracy'];
  if (hasMastery) headers.push('Mastery');
  root.append(h('section', { class: 'card', 'aria-labelledby': 'topics-h' },
    h('h2', { id: 'topics-h' }, hasMastery ? 'Mastery and accuracy by topic' : 'Accuracy by topic'),
    hasMastery ? h('p', { class: 'hint' }, 'Bars show accuracy; the triangle marks the mastery estimate, which weighs recent answers more', ts.some((t) => typeof t.mastery_low === 'number') ? ', and the whisker its likely range.' : '.') : null,
    barChart({
      summary: `Accuracy by topic: ${ts.map((t) => `${topicName(t.topic, topics)} ${t.answered ? fmtPercent(t.accuracy * 100) : 'not started'}`).join(', ')}.`,
      rows,
      reference: { value: WEAK_BELOW, label: `${WEAK_BELOW}%` },
      tableHeaders: headers,
      tableRows: topicTable,
    }),
    h('ul', { class: 'chip-list' }, ts.filter((t) => ('weak' in t ? t.weak : t.answered > 0 && t.accuracy * 100 < WEAK_BELOW)).map((t) => h('li', null,
      h('a', { class: 'chip', href: `#/?practise=${encodeURIComponent(t.topic)}` }, `Practise ${topicName(t.topic, topics)}`))))));

  // Trend.
  if (history.length) {
    const pts = history.slice().sort((a, b) => Date.parse(a.finished_at) - Date.parse(b.finished_at)).map((x) => ({
      label: `${modeName(x.mode)}, ${fmtDate(x.finished_at)}`,
      short: fmtShortDate(x.finished_at),
      value: x.percent || 0,
      detail: fmtPercent(x.percent),
      className: x.mode === 'mock' ? 'point-mock' : null,
    }));
    // All on one day: label the points by time of day instead.
    const days = new Set(pts.map((p) => p.short));
    if (days.size === 1 && pts.length > 1) {
      const sorted = history.slice().sort((a, b) => Date.parse(a.finished_at) - Date.parse(b.finished_at));
      pts.forEach((p, i) => {
        p.short = new Date(sorted[i].finished_at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
      });
    }
    const first = pts[0].value;
    const last = pts[pts.length - 1].value;
    root.append(h('section', { class: 'card', 'aria-labelledby': 'trend-h' },
      h('h2', { id: 'trend-h' }, 'Trend over time'),
      lineChart({
        summary: `Score of each finished attempt over time, ${pts.length} attempts, from ${fmtPercent(first)} to ${fmtPercent(last)}.`,
        points: pts,
        reference: { value: WEAK_BELOW, label: `${WEAK_BELOW}%` },
        tableHeaders: ['Attempt', 'Score'],
      }),
      h('p', { class: 'hint' }, 'Each dot is one finished attempt; filled dots are mock exams.')));
  }

  // Domains, when the server reports them.
  const ds = (progress.domains || []).filter((d) => d.answered > 0);
  if (ds.length) {
    const rowsD = ds.map((d) => {
      const m = typeof d.mastery === 'number' ? d.mastery * 100 : (d.accuracy || 0) * 100;
      return {
        label: `${d.domain}. ${d.name || ''}`,
        value: m,
        text: `${fmtPercent(m)} · ${d.answered} answered`,
        className: d.weak ? 'bar-weak' : null,
        range: typeof d.mastery_low === 'number' && typeof d.mastery_high === 'number' ? [d.mastery_low * 100, d.mastery_high * 100] : undefined,
      };
    });
    root.append(h('section', { class: 'card', 'aria-labelledby': 'domains-h' },
      h('h2', { id: 'domains-h' }, 'Mastery by RHIT domain'),
      barChart({
        summary: `Mastery by domain: ${rowsD.map((r) => `${r.label} ${r.text}`).join(', ')}.`,
        rows: rowsD,
        reference: { value: WEAK_BELOW, label: `${WEAK_BELOW}%` },
        tableHeaders: ['Domain', 'Mastery'],
      })));
  }

  // Questions the learner keeps missing, when the server reports them.
  const leeches = progress.leeches || [];
  if (leeches.length) {
    root.append(h('section', { class: 'card', 'aria-labelledby': 'leeches-h' },
      h('h2', { id: 'leeches-h' }, 'Questions you keep missing'),
      h('ul', { class: 'leech-list' }, leeches.slice(0, 10).map((l) => h('li', null,
        h('p', { class: 'stem' }, l.stem),
        h('p', { class: 'muted' }, `${topicName(l.topic, topics)} · missed ${l.lapses} time${l.lapses === 1 ? '' : 's'}`),
        l.rationale ? h('details', null, h('summary', null, 'Show the explanation'), h('p', { class: 'rationale' }, l.rationale)) : null))),
      h('p', null, h('a', { class: 'btn', href: '#/' }, 'Practise missed questions'))));
  }

  // The study plan: an exam date and a daily budget steer review mode.
  root.append(planCard(progress.plan));

  // Pacing.
  const paceBox = h('section', { class: 'card', 'aria-labelledby': 'pace-h', 'aria-busy': 'true' },
    h('h2', { id: 'pace-h' }, 'Pacing'), h('p', { class: 'muted' }, 'Loading…'));
  root.append(paceBox);
  const serverPace = progress.pacing && typeof progress.pacing.seconds_per_item === 'number' ? progress.pacing : null;
  const target = (serverPace && serverPace.target_seconds) || PACE_S;
  pacing(history).then((rows2) => {
    if (!ctx.alive()) return;
    paceBox.removeAttribute('aria-busy');
    paceBox.lastChild.remove();
    if (serverPace) {
      const sp = serverPace.seconds_per_item;
      paceBox.append(h('p', { class: 'pace' }, h('strong', { id: 'pace-overall' }, `${Math.round(sp)} s per question`), ` on average, against the exam's ${target} s. `,
        sp > target ? 'Slower than the exam pace: practise with a time limit.' : 'Within the exam pace.'));
      const slow = serverPace.slowest_topics || [];
      if (slow.length) paceBox.append(h('p', null, `Slowest topics: ${slow.map((x) => topicName(x, topics)).join(', ')}.`));
      const timedTopics = ts.filter((t) => typeof t.seconds_per_item === 'number');
      if (timedTopics.length) {
        const maxT = Math.max(target * 1.5, ...timedTopics.map((t) => t.seconds_per_item)) * 1.05;
        paceBox.append(barChart({
          title: 'Seconds per question by topic',
          summary: `Seconds per question by topic: ${timedTopics.map((t) => `${topicName(t.topic, topics)} ${Math.round(t.seconds_per_item)}`).join(', ')}. The exam pace is ${target} seconds.`,
          rows: timedTopics.map((t) => ({ label: topicName(t.topic, topics), value: t.seconds_per_item, text: `${Math.round(t.seconds_per_item)} s`, className: t.seconds_per_item > target ? 'bar-slow' : 'bar-ok' })),
          max: maxT,
          unit: ' s',
          reference: { value: target, label: `${target} s pace` },
          tableHeaders: ['Topic', 'Seconds per question'],
        }));
      }
    }
    if (!rows2.length) {
      if (!serverPace) paceBox.append(h('p', null, 'Pacing appears once an attempt records time per question.'));
      return;
    }
    const max = Math.max(target * 1.5, ...rows2.map((r) => r.avg)) * 1.05;
    paceBox.append(
      barChart({
        title: 'Seconds per question in your latest attempts',
        summary: `Average time per question: ${rows2.map((r) => `${modeName(r.mode)} ${fmtShortDate(r.when)} ${Math.round(r.avg)} seconds`).join(', ')}. The exam pace is ${target} seconds.`,
        rows: rows2.map((r) => ({
          label: `${modeName(r.mode)}, ${fmtShortDate(r.when)}`,
          value: r.avg,
          text: `${Math.round(r.avg)} s`,
          className: r.avg > target ? 'bar-slow' : 'bar-ok',
        })),
        max,
        unit: ' s',
        reference: { value: target, label: `${target} s pace` },
        tableHeaders: ['Attempt', 'Seconds per question'],
      }));
  });
  return undefined;
}

// planCard shows the learner's exam date and daily budget and lets them set
// or clear it; with a plan, review mode serves the cards that most raise
// recall on the exam day, up to the budget.
function planCard(plan) {
  const summary = h('p', { id: 'plan-summary' });
  const describe = (p) => {
    if (!p || !p.exam_date) {
      replace(summary, 'No exam date set. With one, review mode picks the questions that matter most for that day.');
      return;
    }
    const left = typeof p.days_left === 'number' ? `, ${p.days_left} day${p.days_left === 1 ? '' : 's'} left` : '';
    const today = typeof p.daily_budget === 'number' ? ` Today: ${p.answered_today || 0} of ${p.daily_budget} questions.` : '';
    replace(summary, `Exam on ${p.exam_date}${left}.${today}`);
  };
  describe(plan);
  const date = h('input', { type: 'date', name: 'exam_date', id: 'plan-date', required: true, value: (plan && plan.exam_date) || '' });
  const budget = h('input', { type: 'number', name: 'daily_budget', id: 'plan-budget', min: '1', max: '500', step: '1',
    value: String((plan && plan.daily_budget) || 30) });
  const errors = errorBox();
  const form = h('form', { class: 'plan-form', novalidate: true },
    field({ label: 'Exam date', input: date }),
    field({ label: 'Questions a day', input: budget, hint: 'How many review questions you will do each day (1 to 500).' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'plan-save' }, 'Save plan')),
    errors);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.hide();
    try {
      await api.put('/me/plan', { exam_date: date.value || null, daily_budget: Number(budget.value) || 0 });
      const fresh = await api.get('/progress');
      describe(fresh.plan);
      announce(fresh.plan ? 'Study plan saved.' : 'Study plan cleared.');
    } catch (err) {
      errors.show(err.message, err.details);
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'plan-h' }, h('h2', { id: 'plan-h' }, 'Study plan'), summary, form);
}
