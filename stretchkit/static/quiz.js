// Self-check quiz: one native fieldset per question, instant feedback in a status region,
// every checked answer sent to Python (which grades it again and saves it to the journal).
// What is right is decided in Python only (stretchkit/questions.py): each question comes with
// its answer key, the displayed option indices in the order this page gives a choice (steps
// in order, ticked boxes lowest first), so checking an answer here is comparing two lists.
// Ordering questions use "Move up"/"Move down" buttons, so no drag and drop is needed.
// Every word it shows, feedback and labels alike, is made in Python (stretchkit/questions.py)
// and sent with the questions: this module only chooses which given line to show.

let instances = 0;

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
  // the marker must be on each control, not only on an ancestor.
  if (tag === "input" || tag === "button" || tag === "a") node.dataset.lmSuppressShortcuts = "true";
  node.append(...children);
  return node;
}

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function render({ model, el }) {
  const uid = `sk-quiz-${++instances}`;
  const abort = new AbortController();
  const on = (node, event, handler) => node.addEventListener(event, handler, { signal: abort.signal });
  // id -> { first, last }: correctness of the first and latest check of each question.
  let results = new Map();

  const root = make("section", { class: "sk-quiz", "aria-labelledby": `${uid}-title` });
  const title = make("p", { class: "sk-quiz-title", id: `${uid}-title` });
  const past = make("p", { class: "sk-quiz-past" });
  const notice = make("p", { class: "sk-quiz-notice", role: "status" });
  const list = make("div", { class: "sk-quiz-questions" });
  const summaryText = make("p", { class: "sk-quiz-summary-text" });
  const retry = make("button", { type: "button", class: "sk-quiz-retry", hidden: true });
  const summary = make("div", { class: "sk-quiz-summary", role: "status" }, summaryText);
  root.append(title, past, notice, list, summary, retry);
  el.append(root);

  function showMeta() {
    title.textContent = model.get("heading") || "Quiz";
    const pastText = model.get("past") || "";
    past.textContent = pastText ? words().past.replace("{}", pastText) : "";
    past.hidden = !pastText;
    notice.textContent = model.get("notice") || "";
    retry.textContent = words().retry;
  }

  function words() {
    return model.get("words") || {};
  }

  function link(see) {
    if (!see) return null;
    return make("a", { href: see.href, text: see.text, class: "sk-quiz-see" });
  }

  function updateSummary() {
    const questions = model.get("payload") || [];
    const done = questions.length > 0 && questions.every((q) => results.has(q.id));
    if (!done) {
      summaryText.textContent = "";
      retry.hidden = true;
      return;
    }
    const score = questions.filter((q) => results.get(q.id).first).length;
    summaryText.textContent = words().summary[score];
    retry.hidden = false;
  }

  function buildQuestion(q, index) {
    const name = `${uid}-q${index}`;
    const fieldset = make("fieldset", { class: "sk-quiz-q", "data-id": q.id, "data-kind": q.kind });
    const legend = make("legend", { text: q.legend });
    const hint = make("p", { class: "sk-quiz-hint", id: `${name}-hint`, text: q.hint });
    fieldset.setAttribute("aria-describedby", hint.id);
    const status = make("div", { class: "sk-quiz-feedback", role: "status", id: `${name}-status` });
    fieldset.append(legend, hint);

    let chosen; // () => displayed option indices, in the learner's order for 'order'
    if (q.kind === "order") {
      const ol = make("ol", { class: "sk-quiz-order" });
      const move = (li, delta, button) => {
        const items = [...ol.children];
        const from = items.indexOf(li);
        const to = from + delta;
        const option = q.options[Number(li.dataset.index)];
        if (to < 0 || to >= items.length) {
          status.textContent = to < 0 ? option.first : option.last;
          return;
        }
        if (delta < 0) ol.insertBefore(li, items[to]);
        else ol.insertBefore(li, items[to].nextSibling);
        button.focus();
        status.textContent = option.moved[to];
      };
      q.options.forEach((option, j) => {
        const li = make("li", { class: "sk-quiz-step", "data-index": String(j) });
        const text = make("span", { class: "sk-quiz-step-text", text: option.text });
        const up = make("button", { type: "button", text: words().up, "aria-label": option.up });
        const down = make("button", { type: "button", text: words().down, "aria-label": option.down });
        on(up, "click", () => move(li, -1, up));
        on(down, "click", () => move(li, 1, down));
        li.append(text, make("span", { class: "sk-quiz-step-moves" }, up, down));
        ol.append(li);
      });
      fieldset.append(ol);
      chosen = () => [...ol.children].map((li) => Number(li.dataset.index));
    } else {
      const type = q.kind === "single" ? "radio" : "checkbox";
      const inputs = q.options.map((option, j) => {
        const id = `${name}-o${j}`;
        const input = make("input", { type, name, id, value: String(j) });
        const label = make("label", { for: id, text: option.text });
        fieldset.append(make("div", { class: "sk-quiz-option" }, input, label));
        return input;
      });
      chosen = () => inputs.filter((i) => i.checked).map((i) => Number(i.value));
    }

    const check = make("button", {
      type: "button",
      class: "sk-quiz-check",
      text: q.check,
      "aria-label": q.check_label,
    });
    on(check, "click", () => {
      const choice = chosen();
      if (choice.length === 0) {
        status.replaceChildren(make("p", { text: q.empty }));
        return;
      }
      const ok = sameList(choice, q.answer);
      const previous = results.get(q.id);
      results.set(q.id, { first: previous ? previous.first : ok, last: ok });
      fieldset.dataset.state = ok ? "correct" : "incorrect";
      showFeedback(q, choice, ok, status);
      model.send({ type: "answer", attempt: model.get("attempt"), id: q.id, choice });
      updateSummary();
    });
    fieldset.append(make("div", { class: "sk-quiz-actions" }, check), status);
    return fieldset;
  }

  function showFeedback(q, choice, ok, status) {
    const headline = ok ? q.right : q.wrong;
    const lines = make("ul", { class: "sk-quiz-why" });
    if (q.kind === "order") {
      choice.forEach((i, place) => lines.append(make("li", { text: q.options[i].at[place] })));
    } else {
      q.options.forEach((o, i) => {
        const item = make("li", { text: o.lines[choice.includes(i) ? 1 : 0] });
        const see = link(o.see);
        if (see) item.append(" ", see);
        lines.append(item);
      });
    }
    const parts = [make("p", { class: "sk-quiz-headline", text: headline }), lines];
    if (q.explanation) parts.push(make("p", { class: "sk-quiz-explanation", text: q.explanation }));
    const see = link(q.see);
    if (see) parts.push(make("p", {}, see));
    status.replaceChildren(...parts);
  }

  function build(focus) {
    results = new Map();
    const questions = model.get("payload") || [];
    list.replaceChildren(...questions.map((q, i) => buildQuestion(q, i)));
    updateSummary();
    if (focus) list.querySelector("input, button")?.focus();
  }

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
    model.off("change:payload", onPayload);
    model.off("change:heading", showMeta);
    model.off("change:past", showMeta);
    model.off("change:notice", showMeta);
    model.off("change:words", showMeta);
    root.remove();
  };
}

export default { render };
