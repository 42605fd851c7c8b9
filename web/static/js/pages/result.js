// The result of a finished attempt: the score (scaled and pass/fail for a
// mock exam), per-topic and per-domain charts, pacing, links to practise
// weak topics, and the item review with response, key and rationale.

import { api } from '../api.js';
import { h, fmtDate, fmtPercent, fmtNumber, modeName, topicName } from '../dom.js';
import { barChart } from '../charts.js';

export const WEAK_BELOW = 70;
export const PACE_S = 84;

function hasResponse(r) {
  if (r === null || r === undefined) return false;
  if (Array.isArray(r)) return r.length > 0;
  return true;
}

function groupRows(groups, nameOf) {
  return groups.map((g) => ({
    label: nameOf(g),
    value: g.percent,
    text: `${fmtPercent(g.percent)} (${fmtNumber(g.correct, 2)} of ${g.total})`,
    className: g.percent < WEAK_BELOW ? 'bar-weak' : null,
  }));
}

function optionText(it, id) {
  const o = (it.options || []).find((x) => x.id === id);
  return o ? `${id}. ${o.text}` : id;
}

function reviewItem(it, topics) {
  const answered = hasResponse(it.response);
  const verdict = !answered ? 'Unanswered' : it.correct ? 'Correct' : 'Incorrect';
  const cls = !it.scored ? 'ri-unscored' : it.correct ? 'ri-right' : 'ri-wrong';
  const key = Array.isArray(it.answer) ? it.answer : [];
  const mine = Array.isArray(it.response) ? it.response : [];
  const body = [];
  if (it.scenario) body.push(h('div', { class: 'scenario' }, h('p', { class: 'scenario-label' }, 'Case'), h('p', { class: 'scenario-text' }, it.scenario)));
  body.push(h('p', { class: 'stem' }, it.stem));
  if (it.type === 'numeric') {
    body.push(h('dl', { class: 'ri-numeric' },
      h('dt', null, 'Your answer'), h('dd', null, answered ? String(it.response) : 'none'),
      h('dt', null, 'Correct answer'), h('dd', null, String(it.answer))));
  } else {
    body.push(h('ul', { class: 'ri-options' }, (it.options || []).map((o) => {
      const isKey = key.includes(o.id);
      const isMine = mine.includes(o.id);
      return h('li', { class: ['ri-option', isKey && 'is-key', isMine && !isKey && 'is-wrong', isMine && 'is-mine'] },
        h('span', { class: 'opt-letter' }, o.id),
        h('span', { class: 'opt-text' }, o.text),
        isKey ? h('span', { class: 'opt-mark opt-mark-key' }, '✓ Correct answer') : null,
        isMine ? h('span', { class: ['opt-mark', isKey ? 'opt-mark-yours' : 'opt-mark-wrong'] }, isKey ? '(your answer)' : '✗ Your answer') : null);
    })));
    if (!answered) body.push(h('p', { class: 'muted' }, 'You gave no answer; it counts as wrong.'));
  }
  if (it.rationale) body.push(h('h4', null, 'Why'), h('p', { class: 'rationale' }, it.rationale));
  if (it.references && it.references.length) body.push(h('p', { class: 'references' }, h('strong', null, 'References: '), it.references.join('; ')));
  const meta = [topicName(it.topic, topics)];
  if (typeof it.time_spent_s === 'number') meta.push(`${it.time_spent_s} s`);
  if (it.flagged) meta.push('flagged');
  return h('li', { class: ['review-item', cls], id: `ri-${it.position}`, dataset: { correct: it.correct ? 'true' : 'false' } },
    h('article', { 'aria-labelledby': `ri-h-${it.position}` },
      h('h3', { id: `ri-h-${it.position}` },
        h('span', { class: 'ri-num' }, `Question ${it.position}`),
        h('span', { class: ['ri-verdict', it.correct ? 'v-right' : 'v-wrong'] }, it.correct ? '✓ ' : '✗ ', verdict),
        !it.scored ? h('span', { class: 'tag' }, 'Pretest, not scored') : null),
      h('p', { class: 'ri-meta' }, meta.join(' · ')),
      body));
}

export async function render(ctx) {
  const { root, app, params, query } = ctx;
  let result;
  try {
    result = await api.get(`/exams/${encodeURIComponent(params.id)}/result`);
  } catch (err) {
    if (err.status === 409) {
      app.go(`#/exam/${encodeURIComponent(params.id)}`, { replace: true });
      return undefined;
    }
    throw err;
  }
  const topics = await app.topics().catch(() => []);
  if (!ctx.alive()) return undefined;
  app.setTitle(`Result: ${modeName(result.mode)}`);
  const score = result.score || {};
  const isMock = result.mode === 'mock' && score.scaled !== undefined;

  root.append(h('h1', null, `Result: ${modeName(result.mode)}`),
    h('p', { class: 'lead' }, result.status === 'expired' ? `Time ran out on ${fmtDate(result.submitted_at)}; answers saved before the deadline were scored.` : `Submitted ${fmtDate(result.submitted_at)}.`));
  if (query.get('timeup')) {
    root.append(h('div', { class: 'notice notice-warn', role: 'status' }, h('p', null, 'Time is up: your exam was submitted automatically.')));
  }

  // Score.
  const figures = [
    h('div', { class: 'score-figure' }, h('span', { class: 'big-number', id: 'score-percent' }, fmtPercent(score.percent, 0)), h('span', null, 'score')),
    h('div', { class: 'score-figure' }, h('span', { class: 'big-number', id: 'score-count' }, `${fmtNumber(score.correct, 2)} / ${score.total}`), h('span', null, 'correct')),
  ];
  if (isMock) {
    figures.push(h('div', { class: 'score-figure' }, h('span', { class: 'big-number', id: 'score-scaled' }, String(score.scaled)), h('span', null, 'scaled score (estimate; pass is 300)')));
    figures.push(h('div', { class: 'score-figure' },
      h('span', { class: ['verdict', score.passed ? 'verdict-pass' : 'verdict-fail'], id: 'score-verdict' }, score.passed ? '✓ Pass' : '✗ Not yet a pass'),
      h('span', null, 'on this estimate')));
  }
  const items = result.items || [];
  const timed = items.filter((it) => typeof it.time_spent_s === 'number' && it.time_spent_s > 0);
  let pace = null;
  if (timed.length) {
    const avg = timed.reduce((a, it) => a + it.time_spent_s, 0) / timed.length;
    pace = h('p', { class: 'pace' }, `On average you spent ${Math.round(avg)} s per question; the real exam allows about ${PACE_S} s. `,
      avg > PACE_S ? h('strong', null, 'That is slower than the exam pace.') : 'That is within the exam pace.');
  }
  root.append(h('section', { class: 'card score-card', 'aria-labelledby': 'score-h' },
    h('h2', { id: 'score-h' }, 'Score'),
    h('div', { class: 'score-figures' }, figures),
    isMock ? h('p', { class: 'hint' }, 'AHIMA does not publish its conversion; the scaled score is rhitprep\'s estimate from the raw score. Pretest items are not scored.') : null,
    pace));

  // Charts.
  const byTopic = result.by_topic || [];
  const byDomain = result.by_domain || [];
  const charts = [];
  if (byTopic.length) {
    charts.push(h('section', { class: 'card', 'aria-labelledby': 'bytopic-h' },
      h('h2', { id: 'bytopic-h' }, 'By topic'),
      barChart({
        summary: `Score by topic: ${byTopic.map((g) => `${topicName(g.topic, topics)} ${fmtPercent(g.percent)}`).join(', ')}.`,
        rows: groupRows(byTopic, (g) => g.name || topicName(g.topic, topics)),
        reference: { value: WEAK_BELOW, label: `${WEAK_BELOW}%` },
        tableHeaders: ['Topic', 'Score'],
      })));
  }
  if (byDomain.length) {
    charts.push(h('section', { class: 'card', 'aria-labelledby': 'bydomain-h' },
      h('h2', { id: 'bydomain-h' }, 'By RHIT domain'),
      barChart({
        summary: `Score by domain: ${byDomain.map((g) => `domain ${g.domain} ${fmtPercent(g.percent)}`).join(', ')}.`,
        rows: groupRows(byDomain, (g) => `${g.domain}. ${g.name || ''}`),
        reference: { value: WEAK_BELOW, label: `${WEAK_BELOW}%` },
        tableHeaders: ['Domain', 'Score'],
      })));
  }
  if (charts.length) root.append(h('div', { class: 'grid-2 charts' }, charts));

  // Weak topics.
  const weak = byTopic.filter((g) => g.percent < WEAK_BELOW);
  const next = h('section', { class: 'card', 'aria-labelledby': 'next-h' }, h('h2', { id: 'next-h' }, 'What next'));
  if (weak.length) {
    next.append(h('p', null, `Topics under ${WEAK_BELOW}% in this attempt:`),
      h('ul', { class: 'chip-list', id: 'practise-links' }, weak.map((g) => h('li', null,
        h('a', { class: 'chip', href: `#/?practise=${encodeURIComponent(g.topic)}` }, `Practise ${g.name || topicName(g.topic, topics)}`)))));
  } else {
    next.append(h('p', null, `Every topic reached ${WEAK_BELOW}% or more in this attempt.`));
  }
  next.append(h('p', { class: 'actions' },
    h('a', { class: 'btn', href: '#/' }, 'Practise again'),
    h('a', { class: 'btn', href: '#/progress' }, 'See your progress')));
  root.append(next);

  // Item review.
  const list = h('ol', { class: 'review-list', id: 'review-list' }, items.map((it) => reviewItem(it, topics)));
  const onlyWrong = h('input', { type: 'checkbox', id: 'only-wrong' });
  onlyWrong.addEventListener('change', () => {
    for (const li of list.children) li.hidden = onlyWrong.checked && li.dataset.correct === 'true';
  });
  const wrongCount = items.filter((it) => !it.correct).length;
  root.append(h('section', { class: 'card', 'aria-labelledby': 'items-h' },
    h('h2', { id: 'items-h' }, 'Question by question'),
    h('div', { class: 'check' }, onlyWrong, h('label', { for: 'only-wrong' }, `Show only the ${wrongCount} question${wrongCount === 1 ? '' : 's'} I missed`)),
    list));
  return undefined;
}
