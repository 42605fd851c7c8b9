// The start page: the exam modes, the learner's readiness and weak topics
// (when the server reports them), and their attempts.

import { api } from '../api.js';
import { h, field, errorBox, fmtDate, fmtPercent, modeName, topicName, announce } from '../dom.js';
import { scaleGauge } from '../charts.js';

async function startExam(app, body, err, button) {
  err.hide();
  const label = button.textContent;
  button.disabled = true;
  button.textContent = 'Starting…';
  try {
    const exam = await api.post('/exams', body);
    announce('Exam started.');
    app.go(`#/exam/${encodeURIComponent(exam.id)}`);
  } catch (ex) {
    err.show(ex.message, ex.details);
    button.focus();
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

function numberInput(id, value, min, max) {
  return h('input', { id, type: 'number', inputmode: 'numeric', min, max, step: 1, value: String(value), class: 'input-short' });
}

function readInt(input, min, max, name, problems) {
  const v = input.value.trim();
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}.`);
    input.setAttribute('aria-invalid', 'true');
    return null;
  }
  input.removeAttribute('aria-invalid');
  return n;
}

export function readinessPanel(progress, app) {
  const parts = [];
  const r = progress && progress.readiness;
  if (r && (r.predicted_scaled !== undefined || r.pass_probability !== undefined)) {
    const low = r.low ?? r.lower ?? (Array.isArray(r.interval) ? r.interval[0] : undefined);
    const high = r.high ?? r.upper ?? (Array.isArray(r.interval) ? r.interval[1] : undefined);
    const p = r.pass_probability;
    const bits = [];
    if (r.predicted_scaled !== undefined) bits.push(`Predicted scaled score ${Math.round(r.predicted_scaled)} (pass is 300)`);
    if (low !== undefined && high !== undefined) bits.push(`likely between ${Math.round(low)} and ${Math.round(high)}`);
    if (p !== undefined && p !== null) bits.push(`chance of passing about ${Math.round(p * 100)}%`);
    parts.push(h('section', { class: 'card readiness', 'aria-labelledby': 'readiness-h' },
      h('h2', { id: 'readiness-h' }, 'Readiness'),
      h('div', { class: 'readiness-figures' },
        r.predicted_scaled !== undefined ? h('p', { class: 'big-figure' }, h('span', { class: 'big-number' }, String(Math.round(r.predicted_scaled))), h('span', null, ' predicted scaled score')) : null,
        p !== undefined && p !== null ? h('p', { class: 'big-figure' }, h('span', { class: 'big-number' }, `${Math.round(p * 100)}%`), h('span', null, ' chance of passing')) : null),
      r.predicted_scaled !== undefined ? scaleGauge({ summary: `${bits.join('; ')}.`, value: r.predicted_scaled, low, high }) : null,
      h('p', { class: 'hint' }, r.note || 'An estimate from your answers so far, not an official score.', low !== undefined && high !== undefined ? ' The shaded band shows its uncertainty.' : ''),
      Array.isArray(r.suggestions) && r.suggestions.length
        ? [h('h3', null, 'What would raise it most'),
          h('ul', { class: 'suggestions' }, r.suggestions.map((sg) => h('li', null, sg.message || `${sg.name}: practise ${topicName(sg.topic, app.topicsCache)}`,
            sg.topic ? [' ', h('a', { href: `#/?practise=${encodeURIComponent(sg.topic)}` }, `Practise ${topicName(sg.topic, app.topicsCache)}`)] : null)))]
        : null));
  }
  const weak = (progress && (progress.weak_topics || (progress.topics || []).filter((t) => t.weak).map((t) => t.topic))) || [];
  if (progress && (progress.weak_topics || (progress.topics || []).some((t) => 'weak' in t)) && weak.length) {
    parts.push(h('section', { class: 'card weak', 'aria-labelledby': 'weak-h' },
      h('h2', { id: 'weak-h' }, 'Topics to work on'),
      h('ul', { class: 'chip-list' }, weak.map((t) => h('li', null,
        h('a', { class: 'chip', href: `#/?practise=${encodeURIComponent(t)}` }, `Practise ${topicName(t, app.topicsCache)}`))))));
  }
  return parts;
}

export async function render(ctx) {
  const { root, app, query } = ctx;
  app.setTitle('Practice');
  const [topics, progress, exams] = await Promise.all([
    app.topics(),
    api.get('/progress').catch(() => null),
    api.get('/exams').catch(() => ({ exams: [] })),
  ]);
  if (!ctx.alive()) return undefined;
  const practise = query.get('practise');

  root.append(h('h1', null, 'Practice'),
    h('p', { class: 'lead' }, `Welcome, ${app.user.username}. Choose how you want to practise.`));

  const inProgress = (exams.exams || []).filter((e) => e.status === 'in_progress');
  if (inProgress.length) {
    root.append(h('div', { class: 'notice notice-info' },
      h('p', null, inProgress.length === 1 ? 'You have an exam in progress. ' : `You have ${inProgress.length} exams in progress. `,
        h('a', { href: `#/exam/${encodeURIComponent(inProgress[0].id)}`, id: 'resume-link' }, `Resume the ${modeName(inProgress[0].mode).toLowerCase()} started ${fmtDate(inProgress[0].started_at)}`), '.')));
  }

  const insights = readinessPanel(progress, app);
  if (insights.length) root.append(h('div', { class: 'grid-2' }, insights));

  // Mock exam.
  const mockErr = errorBox();
  const mockBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'start-mock' }, 'Start mock exam');
  mockBtn.addEventListener('click', () => startExam(app, { mode: 'mock' }, mockErr, mockBtn));
  const mock = h('section', { class: 'card mode', 'aria-labelledby': 'mock-h' },
    h('h2', { id: 'mock-h' }, 'Mock exam'),
    h('p', null, 'A full practice exam shaped like the real one: the RHIT domains, unscored pretest items, and a time limit kept by the server. Answers are checked at the end, with a scaled score estimate and pass or fail.'),
    mockErr, h('div', { class: 'actions' }, mockBtn));

  // Topic quiz.
  const quizErr = errorBox();
  const topicBoxes = topics.map((t) => {
    const cb = h('input', { type: 'checkbox', id: `topic-${t.id}`, name: 'topics', value: t.id, checked: practise ? practise === t.id : false });
    return h('div', { class: 'check' }, cb, h('label', { for: cb.id }, t.name, h('span', { class: 'muted' }, ` (${t.questions} questions)`)));
  });
  const count = numberInput('quiz-count', 10, 1, 200);
  const feedbackImmediate = h('input', { type: 'radio', id: 'fb-immediate', name: 'feedback', value: 'immediate', checked: true });
  const feedbackDeferred = h('input', { type: 'radio', id: 'fb-deferred', name: 'feedback', value: 'deferred' });
  const limit = h('input', { id: 'quiz-limit', type: 'number', inputmode: 'numeric', min: 1, max: 1440, step: 1, class: 'input-short' });
  const quizBtn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'start-quiz' }, 'Start quiz');
  const quizForm = h('form', { class: 'card mode', id: 'quiz-form', novalidate: true, 'aria-labelledby': 'quiz-h' },
    h('h2', { id: 'quiz-h' }, 'Topic quiz'),
    h('p', null, 'Pick topics and a length. With immediate feedback you see right or wrong and the rationale after each answer.'),
    quizErr,
    h('fieldset', null, h('legend', null, 'Topics ', h('span', { class: 'muted' }, '(none ticked means all)')), topicBoxes),
    field({ label: 'Number of questions', input: count, hint: '1 to 200.' }),
    h('fieldset', null, h('legend', null, 'Feedback'),
      h('div', { class: 'check' }, feedbackImmediate, h('label', { for: 'fb-immediate' }, 'Immediate: after each answer')),
      h('div', { class: 'check' }, feedbackDeferred, h('label', { for: 'fb-deferred' }, 'Deferred: at the end, as in the exam'))),
    field({ label: 'Time limit in minutes (optional)', input: limit, hint: 'Leave empty for no limit. The real exam allows about 84 seconds per question.' }),
    h('div', { class: 'actions' }, quizBtn));
  quizForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const problems = [];
    const n = readInt(count, 1, 200, 'The number of questions', problems);
    let seconds = null;
    if (limit.value.trim() !== '') {
      const m = readInt(limit, 1, 1440, 'The time limit', problems);
      if (m !== null) seconds = m * 60;
    } else {
      limit.removeAttribute('aria-invalid');
    }
    if (problems.length) {
      quizErr.show('Please correct this:', problems.map((message) => ({ message })));
      quizForm.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    const body = {
      mode: 'quiz',
      count: n,
      feedback: feedbackDeferred.checked ? 'deferred' : 'immediate',
    };
    const chosen = topicBoxes.map((d) => d.querySelector('input')).filter((c) => c.checked).map((c) => c.value);
    if (chosen.length) body.topics = chosen;
    if (seconds) body.time_limit_s = seconds;
    startExam(app, body, quizErr, quizBtn);
  });

  // Review and missed.
  const reviewErr = errorBox();
  const reviewCount = numberInput('review-count', 20, 1, 200);
  const reviewBtn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'start-review' }, 'Start review');
  const due = progress && typeof progress.due_reviews === 'number' ? progress.due_reviews : null;
  const reviewForm = h('form', { class: 'card mode', novalidate: true, 'aria-labelledby': 'review-h' },
    h('h2', { id: 'review-h' }, 'Review'),
    h('p', null, 'Questions chosen for you: reviews that are due first, then questions you missed, then your weakest topics. Immediate feedback.'),
    due !== null ? h('p', { class: 'due' }, h('strong', null, String(due)), due === 1 ? ' review is due.' : ' reviews are due.') : null,
    reviewErr,
    field({ label: 'Number of questions', input: reviewCount }),
    h('div', { class: 'actions' }, reviewBtn));
  reviewForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const problems = [];
    const n = readInt(reviewCount, 1, 200, 'The number of questions', problems);
    if (problems.length) {
      reviewErr.show(problems[0]);
      reviewCount.focus();
      return;
    }
    startExam(app, { mode: 'review', count: n }, reviewErr, reviewBtn);
  });

  const missedErr = errorBox();
  const missedCount = numberInput('missed-count', 20, 1, 200);
  const missedBtn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'start-missed' }, 'Start missed questions');
  const missedForm = h('form', { class: 'card mode', novalidate: true, 'aria-labelledby': 'missed-h' },
    h('h2', { id: 'missed-h' }, 'Missed questions'),
    h('p', null, 'Only questions you answered wrong and have not since answered right. Immediate feedback.'),
    missedErr,
    field({ label: 'Number of questions', input: missedCount }),
    h('div', { class: 'actions' }, missedBtn));
  missedForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const problems = [];
    const n = readInt(missedCount, 1, 200, 'The number of questions', problems);
    if (problems.length) {
      missedErr.show(problems[0]);
      missedCount.focus();
      return;
    }
    startExam(app, { mode: 'missed', count: n }, missedErr, missedBtn);
  });

  root.append(h('div', { class: 'mode-grid' }, h('div', { class: 'mode-col' }, mock, reviewForm, missedForm), h('div', { class: 'mode-col' }, quizForm)));

  // Attempts.
  const list = exams.exams || [];
  const attempts = h('section', { class: 'card', 'aria-labelledby': 'attempts-h' }, h('h2', { id: 'attempts-h' }, 'Your attempts'));
  if (!list.length) {
    attempts.append(h('p', null, 'None yet. Your exams and quizzes will be listed here.'));
  } else {
    const rows = list.slice(0, 20).map((e) => {
      const when = fmtDate(e.started_at);
      const action = e.status === 'in_progress'
        ? h('a', { href: `#/exam/${encodeURIComponent(e.id)}` }, 'Resume', h('span', { class: 'sr-only' }, ` ${modeName(e.mode)} started ${when}`))
        : h('a', { href: `#/result/${encodeURIComponent(e.id)}` }, 'Result', h('span', { class: 'sr-only' }, ` of ${modeName(e.mode)} started ${when}`));
      const status = e.status === 'in_progress' ? 'In progress' : e.status === 'expired' ? 'Time ran out' : 'Submitted';
      return h('tr', null,
        h('th', { scope: 'row' }, modeName(e.mode)),
        h('td', null, when),
        h('td', null, status),
        h('td', null, e.percent === null || e.percent === undefined ? '–' : fmtPercent(e.percent, 0)),
        h('td', null, action));
    });
    const head = h('tr', null,
      ['Kind', 'Started', 'Status', 'Score'].map((x) => h('th', { scope: 'col' }, x)),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Action')));
    attempts.append(h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('caption', { class: 'sr-only' }, 'Your attempts, newest first'),
      h('thead', null, head),
      h('tbody', null, rows))));
  }
  root.append(attempts);

  if (practise) {
    ctx.keepFocus = true;
    const h1 = root.querySelector('h1');
    h1.setAttribute('tabindex', '-1');
    quizForm.scrollIntoView({ block: 'start' });
    quizBtn.focus();
  }
  return undefined;
}
