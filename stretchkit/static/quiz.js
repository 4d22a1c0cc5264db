// Self-check quiz: one native fieldset per question, instant feedback in a status region,
// every checked answer sent to Python (which grades it again and saves it to the journal).
// What is right is decided in Python only (stretchkit/questions.py): each question comes with
// its answer key, the displayed option indices in the order this page gives a choice (steps
// in order, ticked boxes lowest first), so checking an answer here is comparing two lists.
// Ordering questions use "Move up"/"Move down" buttons, so no drag and drop is needed.
// Every word it shows, feedback and labels alike, is made in Python (stretchkit/questions.py)
// and sent with the questions: this module only chooses which given line to show.
// A long quiz comes in rounds (each question says its round): one round on the page at a
// time, a running score, and "Next round" once the round's questions are checked.

let instances = 0;

// An answer Python has not said it received is sent again this often, so a message lost on
// the way (a connection dropped and made again) never loses an answer from the journal.
// Python keeps each answer once (by this view's token and the answer's number) and says
// "saved" for each.
const RESEND_MS = 4000;

function make(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("aria-") || key.startsWith("data-") || key === "role" || key === "for") {
      node.setAttribute(key, value);
    } else node[key] = value;
  }
  // JupyterLab: keys pressed on a quiz control (arrows between radios, letters) are the
  // quiz's, not notebook shortcuts. Lumino matches the focused element itself first, so
  // the marker must be on each control (and each element the quiz focuses), not only on
  // an ancestor.
  if (tag === "input" || tag === "button" || tag === "a" || "tabIndex" in props) {
    node.dataset.lmSuppressShortcuts = "true";
  }
  node.append(...children);
  return node;
}

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A line from Python with its {correct} and {total} filled in. */
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

/** Set a live region's text only when it changes, so a screen reader hears it once. */
function say(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function link(see) {
  if (!see) return null;
  return make("a", { href: see.href, text: see.text, class: "sk-quiz-see" });
}

/**
 * An ordering question's steps, each with Move up and Move down. The first step's Move up
 * and the last step's Move down are marked unavailable (aria-disabled keeps the focus on
 * them after a move); pressing one anyway says why nothing moved.
 */
function buildOrder(q, words, status, on) {
  const ol = make("ol", { class: "sk-quiz-order" });
  const refresh = () => {
    const items = [...ol.children];
    items.forEach((li, i) => {
      const [up, down] = li.querySelectorAll("button");
      up.setAttribute("aria-disabled", String(i === 0));
      down.setAttribute("aria-disabled", String(i === items.length - 1));
    });
  };
  const move = (li, delta, button) => {
    const items = [...ol.children];
    const to = items.indexOf(li) + delta;
    const option = q.options[Number(li.dataset.index)];
    if (to < 0 || to >= items.length) {
      status.textContent = to < 0 ? option.first : option.last;
      return;
    }
    if (delta < 0) ol.insertBefore(li, items[to]);
    else ol.insertBefore(li, items[to].nextSibling);
    button.focus();
    refresh();
    status.textContent = option.moved[to];
  };
  q.options.forEach((option, j) => {
    const li = make("li", { class: "sk-quiz-step", "data-index": String(j) });
    const text = make("span", { class: "sk-quiz-step-text", text: option.text });
    const up = make("button", { type: "button", text: words.up, "aria-label": option.up });
    const down = make("button", { type: "button", text: words.down, "aria-label": option.down });
    on(up, "click", () => move(li, -1, up));
    on(down, "click", () => move(li, 1, down));
    li.append(text, make("span", { class: "sk-quiz-step-moves" }, up, down));
    ol.append(li);
  });
  refresh();
  return { node: ol, chosen: () => [...ol.children].map((li) => Number(li.dataset.index)) };
}

function buildChoices(q, name) {
  const type = q.kind === "single" ? "radio" : "checkbox";
  const nodes = [];
  const inputs = q.options.map((option, j) => {
    const id = `${name}-o${j}`;
    const input = make("input", { type, name, id, value: String(j) });
    const label = make("label", { for: id, text: option.text });
    nodes.push(make("div", { class: "sk-quiz-option" }, input, label));
    return input;
  });
  return { nodes, chosen: () => inputs.filter((i) => i.checked).map((i) => Number(i.value)) };
}

/**
 * The feedback on a checked choice. Right, or wrong with the answer shown (``reveal``):
 * every option's line, the explanation, the lesson to revisit. Wrong before that: only the
 * learner's own choices explained (or which steps are out of place), so the answer is not
 * given away.
 */
function feedback(q, choice, ok, reveal) {
  const full = ok || reveal;
  const headline = ok ? q.right : reveal ? q.revealed : q.wrong;
  const lines = make("ul", { class: "sk-quiz-why" });
  if (q.kind === "order") {
    choice.forEach((i, place) => {
      const option = q.options[i];
      const text = full || q.answer[place] === i ? option.at[place] : option.not_at[place];
      lines.append(make("li", { text }));
    });
  } else {
    q.options.forEach((o, i) => {
      const mine = choice.includes(i);
      if (!full && !mine) return;
      const item = make("li", { text: o.lines[mine ? 1 : 0] });
      const see = link(o.see);
      if (see) item.append(" ", see);
      lines.append(item);
    });
    if (!full && q.missing && q.answer.some((i) => !choice.includes(i))) {
      lines.append(make("li", { text: q.missing }));
    }
  }
  const parts = [make("p", { class: "sk-quiz-headline", text: headline }), lines];
  if (reveal && !ok && q.kind === "order") {
    const steps = q.answer.map((i) => make("li", { text: q.options[i].text }));
    parts.push(make("p", { text: q.in_order }), make("ol", { class: "sk-quiz-answer" }, ...steps));
  }
  if (!full) return parts; // the lesson to revisit can name the answer ("Which stretch uses a towel?")
  if (q.explanation) parts.push(make("p", { class: "sk-quiz-explanation", text: q.explanation }));
  const see = link(q.see);
  if (see) parts.push(make("p", {}, see));
  return parts;
}

function render({ model, el }) {
  const uid = `sk-quiz-${++instances}`;
  const abort = new AbortController();
  const on = (node, event, handler) => node.addEventListener(event, handler, { signal: abort.signal });
  const view = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  let sent = 0;
  const unsaved = new Map(); // answer number -> its message, until Python says it has it
  const sendAnswer = (message) => {
    sent += 1;
    const numbered = { ...message, view, seq: sent };
    unsaved.set(sent, numbered);
    model.send(numbered);
  };
  const onSaved = (message) => {
    if (message && message.type === "saved" && message.view === view) unsaved.delete(message.seq);
  };
  model.on("msg:custom", onSaved);
  const resend = setInterval(() => {
    for (const message of unsaved.values()) model.send(message);
  }, RESEND_MS);
  // id -> { first, last }: correctness of the first and latest check of each question.
  let results = new Map();
  let round = 0;

  const root = make("section", { class: "sk-quiz", "aria-labelledby": `${uid}-title` });
  const title = make("p", { class: "sk-quiz-title", id: `${uid}-title` });
  const past = make("p", { class: "sk-quiz-past" });
  const notice = make("p", { class: "sk-quiz-notice", role: "status" });
  const roundTitle = make("h3", { class: "sk-quiz-round-title", tabIndex: -1 });
  const roundSize = make("span");
  const soFar = make("span", { class: "sk-quiz-so-far" });
  const progress = make("p", { class: "sk-quiz-progress" }, roundSize, " ", soFar);
  const head = make("div", { class: "sk-quiz-round", hidden: true }, roundTitle, progress);
  const list = make("div", { class: "sk-quiz-questions" });
  const roundStatus = make("p", { class: "sk-quiz-round-status", role: "status" });
  const next = make("button", { type: "button", class: "sk-quiz-next", hidden: true });
  const summaryText = make("p", { class: "sk-quiz-summary-text" });
  const summary = make("div", { class: "sk-quiz-summary", role: "status" }, summaryText);
  const byRound = make("ul", { class: "sk-quiz-round-results", hidden: true });
  const retry = make("button", { type: "button", class: "sk-quiz-retry", hidden: true });
  const roundEnd = make("div", { class: "sk-quiz-round-end" }, roundStatus, next);
  root.append(title, past, notice, head, list, roundEnd, summary, byRound, retry);
  el.append(root);

  const words = () => model.get("words") || {};
  const questions = () => model.get("payload") || [];
  const rounds = () => questions().reduce((n, q) => Math.max(n, (q.round ?? 0) + 1), 0);
  const inRound = (r) => questions().filter((q) => (q.round ?? 0) === r);
  const firstRight = (qs) => qs.filter((q) => results.get(q.id)?.first).length;
  const allChecked = (qs) => qs.length > 0 && qs.every((q) => results.has(q.id));

  function showMeta() {
    title.textContent = model.get("heading") || "Quiz";
    const pastText = model.get("past") || "";
    past.textContent = pastText ? words().past.replace("{}", pastText) : "";
    past.hidden = !pastText;
    notice.textContent = model.get("notice") || "";
    retry.textContent = words().retry;
    next.textContent = words().next || "";
  }

  /** The round's heading and running score, and "Next round" once its questions are checked. */
  function showProgress() {
    const multi = rounds() > 1;
    head.hidden = !multi;
    if (!multi) return;
    const lines = words().rounds[round];
    const checked = questions().filter((q) => results.has(q.id));
    roundTitle.textContent = lines.title;
    roundSize.textContent = lines.size;
    const score = { correct: firstRight(checked), total: checked.length };
    soFar.textContent = checked.length ? fill(words().so_far, score) : "";
    const more = allChecked(inRound(round)) && round < rounds() - 1;
    say(roundStatus, more ? fill(lines.done, { correct: firstRight(inRound(round)) }) : "");
    next.hidden = !more;
  }

  function updateSummary() {
    showProgress();
    const done = allChecked(questions());
    say(summaryText, done ? words().summary[firstRight(questions())] : "");
    retry.hidden = !done;
    byRound.hidden = !done || rounds() < 2;
    const each = done && rounds() > 1 ? words().rounds : [];
    const line = (lines, r) => fill(lines.result, { correct: firstRight(inRound(r)) });
    byRound.replaceChildren(...each.map((lines, r) => make("li", { text: line(lines, r) })));
  }

  function buildQuestion(q, index) {
    const name = `${uid}-q${index}`;
    const fieldset = make("fieldset", { class: "sk-quiz-q", "data-id": q.id, "data-kind": q.kind });
    const hint = make("p", { class: "sk-quiz-hint", id: `${name}-hint`, text: q.hint });
    fieldset.setAttribute("aria-describedby", hint.id);
    const status = make("div", { class: "sk-quiz-feedback", role: "status", id: `${name}-status` });
    fieldset.append(make("legend", { text: q.legend }), hint);
    const answer = q.kind === "order" ? buildOrder(q, words(), status, on) : buildChoices(q, name);
    fieldset.append(...(answer.node ? [answer.node] : answer.nodes));

    const check = make("button", {
      type: "button",
      class: "sk-quiz-check",
      text: q.check,
      "aria-label": q.check_label,
    });
    const show = make("button", {
      type: "button",
      class: "sk-quiz-show",
      text: q.show,
      "aria-label": q.show_label,
      hidden: true,
    });
    let wrongChecks = 0;
    let shown = false; // the answer has been given
    let last = null; // the latest checked choice
    on(check, "click", () => {
      const choice = answer.chosen();
      if (choice.length === 0) {
        status.replaceChildren(make("p", { text: q.empty }));
        return;
      }
      const ok = sameList(choice, q.answer);
      const previous = results.get(q.id);
      results.set(q.id, { first: previous ? previous.first : ok, last: ok });
      if (!ok) wrongChecks += 1;
      shown = shown || wrongChecks >= 2;
      last = choice;
      fieldset.dataset.state = ok ? "correct" : "incorrect";
      status.replaceChildren(...feedback(q, choice, ok, shown));
      show.hidden = ok || shown;
      sendAnswer({ type: "answer", attempt: model.get("attempt"), id: q.id, choice });
      updateSummary();
    });
    on(show, "click", () => {
      shown = true;
      show.hidden = true;
      status.replaceChildren(...feedback(q, last, false, true));
      check.focus();
    });
    fieldset.append(make("div", { class: "sk-quiz-actions" }, check, show), status);
    return fieldset;
  }

  function showRound(focus) {
    const all = questions();
    list.replaceChildren(...inRound(round).map((q) => buildQuestion(q, all.indexOf(q))));
    updateSummary();
    if (!focus) return;
    if (rounds() > 1) roundTitle.focus();
    else list.querySelector("input, button")?.focus();
  }

  function build(focus) {
    results = new Map();
    round = 0;
    showRound(focus);
  }

  on(next, "click", () => {
    round = Math.min(round + 1, rounds() - 1);
    showRound(true);
  });

  on(retry, "click", () => {
    summaryText.textContent = words().shuffling;
    retry.hidden = true;
    model.send({ type: "retry" });
  });

  const onPayload = () => build(true);
  model.on("change:payload", onPayload);
  model.on("change:heading", showMeta);
  model.on("change:past", showMeta);
  model.on("change:notice", showMeta);
  model.on("change:words", showMeta);
  showMeta();
  build(false);
  model.send({ type: "ready" });

  return () => {
    abort.abort();
    clearInterval(resend);
    model.off("msg:custom", onSaved);
    model.off("change:payload", onPayload);
    model.off("change:heading", showMeta);
    model.off("change:past", showMeta);
    model.off("change:notice", showMeta);
    model.off("change:words", showMeta);
    root.remove();
  };
}

export default { render };
