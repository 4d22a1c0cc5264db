// stretchkit stretch timer: plays a plan of phases sent from Python.
//
// Two parts. TimerCore is the timing logic, a small pure state machine: it is given the
// time (performance.now() in the page) and never touches the page, timers or Python, so
// it is tested on its own (tests/test_timer_js.py runs it in node). render() is the view:
// it draws the core's state, schedules the next phase end, plays cues and tells Python.
//
// Time is kept against an end time per phase. A setTimeout aimed at that end time moves
// to the next phase; the next end time is the previous *nominal* end plus the phase
// length, so small timer delays never add up. A 100 ms interval only redraws the display.
// Python hears about phase changes, state changes and completed runs, never ticks; with a
// completed run it hears what happened (report(): seconds spent in each phase, pauses
// excluded, which phases were skipped, and how long the run took on the clock). No
// network access: tones come from Web Audio, speech from the browser's speechSynthesis,
// when present and switched on.

const TEMPLATE = `
<div class="sk-head">
  <h3 class="sk-title"></h3>
  <span class="sk-status"></span>
</div>
<div class="sk-body">
  <div class="sk-image" hidden></div>
  <div class="sk-readout">
    <p class="sk-technique" hidden></p>
    <p class="sk-phase"></p>
    <p class="sk-where"><span class="sk-side"></span> <span class="sk-rep"></span></p>
    <p class="sk-time"></p>
    <p class="sk-cue"></p>
  </div>
</div>
<div class="sk-progress">
  <div class="sk-bar"><span class="sk-bar-label">This phase</span>
    <progress class="sk-phase-bar" max="1" value="0" aria-label="This phase"></progress></div>
  <div class="sk-bar"><span class="sk-bar-label">Whole plan</span>
    <progress class="sk-plan-bar" max="1" value="0" aria-label="Whole plan"></progress>
    <span class="sk-plan-left"></span></div>
</div>
<div class="sk-controls" role="group" aria-label="Timer controls">
  <button type="button" class="sk-primary">Start</button>
  <button type="button" class="sk-skip">Skip</button>
  <button type="button" class="sk-reset">Reset</button>
</div>
<div class="sk-adjust" role="group" hidden>
  <button type="button" class="sk-less"></button>
  <output class="sk-setting" aria-live="off"></output>
  <button type="button" class="sk-more"></button>
  <span class="sk-adjust-note" role="status"></span>
</div>
<div class="sk-options" role="group" aria-label="Cues and display">
  <label><input type="checkbox" class="sk-opt-sound"> Tone</label>
  <label class="sk-speech-option"><input type="checkbox" class="sk-opt-speech"> Spoken cues</label>
  <label><input type="checkbox" class="sk-opt-flash"> Flash</label>
  <label class="sk-repeat-option" hidden><input type="checkbox" class="sk-opt-repeat"> Repeat</label>
  <button type="button" class="sk-presenter-toggle" aria-pressed="false">Presenter view</button>
</div>
<div class="sk-live sk-visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
`;

const STATUS = { idle: "Ready", running: "Running", paused: "Paused", done: "Done" };
const PRIMARY = { idle: "Start", running: "Pause", paused: "Resume", done: "Start" };
const FLASH_MS = 700;
// The in-widget setting: its group's name, its unit and how its value reads.
const SETTINGS = {
  hold: { group: "Hold time", unit: () => "s", show: (v) => `Hold ${v} s` },
  reps: { group: "Repetitions", unit: () => "rep", show: (v) => `${v} ${v === 1 ? "rep" : "reps"}` },
  minutes: { group: "Minutes of sitting before the reminder", unit: () => "min", show: (v) => `${v} min` },
};
const REDRAW_MS = 100;

// --- the timing logic: a pure state machine -------------------------------------------------

export class TimerCore {
  constructor(phases = []) {
    this.load(phases);
  }

  // A new plan: back to the first phase, idle.
  load(phases) {
    this.phases = Array.isArray(phases) ? phases : [];
    this.idx = 0;
    this.state = "idle";
    this.endAt = 0; // time at which the current phase ends (running)
    this.leftMs = this.dur(0); // time left in the current phase (idle / paused)
    this.pausedAt = 0;
    this.pausedMs = 0;
    this.clearRecord(0);
  }

  // What the run has done so far: ms spent in each phase (pauses excluded) and skips.
  clearRecord(t) {
    this.startedAt = t;
    this.spentMs = this.phases.map(() => 0);
    this.skips = [];
  }

  // Leaving the current phase with leftMs of it not played: the rest was spent in it.
  leave(leftMs) {
    if (this.idx < this.spentMs.length) this.spentMs[this.idx] += Math.max(0, this.dur(this.idx) - leftMs);
  }

  dur(i) {
    return Math.max(0, Number(this.phases[i]?.seconds ?? 0) * 1000);
  }

  get last() {
    return this.phases.length - 1;
  }

  get phase() {
    return this.phases[this.idx];
  }

  get active() {
    return this.state === "running" || this.state === "paused";
  }

  get editable() {
    return this.state === "idle" || this.state === "done";
  }

  left(t) {
    if (this.state === "running") return Math.max(0, this.endAt - t);
    return this.state === "done" ? 0 : this.leftMs;
  }

  // Start from the first phase at time t; false when the plan has nothing to play.
  start(t) {
    if (this.phases.length < 2) return false;
    this.pausedMs = 0;
    this.idx = 0;
    this.state = "running";
    this.endAt = t + this.dur(0);
    this.clearRecord(t);
    return true;
  }

  // The phase's end time was due at t: "early" (not yet, aim again), "enter" (a new phase),
  // "complete" (the plan is over; call complete()), or null when not running.
  due(t) {
    if (this.state !== "running") return null;
    if (t < this.endAt) return "early";
    // Move on from the nominal end time, passing any phases that are already over.
    do {
      this.leave(0); // a phase that ran out was spent in full
      this.idx += 1;
      if (this.idx >= this.last) break;
      this.endAt += this.dur(this.idx);
    } while (t >= this.endAt);
    return this.idx >= this.last ? "complete" : "enter";
  }

  // The plan is over at time t (a run skipped to its end while paused: the pause counts to t).
  complete(t) {
    if (this.state === "paused" && t !== undefined) this.pausedMs += t - this.pausedAt;
    this.idx = this.last;
    this.state = "done";
    this.leftMs = 0;
  }

  // Start the next run at once, anchored at the end time t of the last (repeating reminders).
  again(t) {
    this.idx = 0;
    this.state = "running";
    this.endAt = t + this.dur(0);
    this.pausedMs = 0;
    this.clearRecord(t);
  }

  pause(t) {
    this.leftMs = Math.max(0, this.endAt - t);
    this.pausedAt = t;
    this.state = "paused";
  }

  resume(t) {
    this.endAt = t + this.leftMs;
    this.pausedMs += t - this.pausedAt;
    this.state = "running";
  }

  // Skip to the next phase: "enter", "complete" (call complete()), or null when not playing.
  skip(t) {
    if (!this.active) return null;
    this.leave(this.left(t));
    this.skips.push(this.idx);
    this.idx += 1;
    if (this.idx >= this.last) return "complete";
    if (this.state === "running") this.endAt = t + this.dur(this.idx);
    else this.leftMs = this.dur(this.idx);
    return "enter";
  }

  reset() {
    this.idx = 0;
    this.state = "idle";
    this.leftMs = this.dur(0);
    this.clearRecord(0);
  }

  // What happened in the run that ended at time t, in seconds, for Python to keep:
  // per phase the time spent in it (pauses excluded), the phases skipped, the time spent
  // in all (pauses excluded) and the time from start to end on the clock (pauses included).
  report(t) {
    const spent = this.spentMs.map((ms) => ms / 1000);
    return {
      spent,
      skipped: [...this.skips],
      active: spent.reduce((a, b) => a + b, 0),
      wall: Math.max(0, t - this.startedAt) / 1000,
      paused: this.pausedMs / 1000,
    };
  }

  // How far along at time t: ms left in the phase, fraction of the phase and of the plan done.
  progress(t) {
    const left = this.left(t);
    const dur = this.dur(this.idx);
    const phaseDone = this.state === "done" ? 1 : dur > 0 ? 1 - left / dur : 0;
    let total = 0;
    let before = 0;
    for (let i = 0; i < this.phases.length; i++) {
      total += this.dur(i);
      if (i < this.idx) before += this.dur(i);
    }
    const elapsed = this.state === "done" ? total : before + (dur - left);
    return {
      left,
      total,
      elapsed,
      phaseDone: Math.min(1, Math.max(0, phaseDone)),
      planDone: total > 0 ? Math.min(1, Math.max(0, elapsed / total)) : 0,
    };
  }
}

// --- the view ----------------------------------------------------------------------------------

export function clock(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000 - 1e-6));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// Write only what changed, so assistive technology and observers see real changes only.
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

// A stretch's drawing is SVG made by Python. It is parsed in an inert document (nothing in it
// runs) and only an <svg> is shown, without anything that could run once it is in the page:
// scripts, event handlers, embedded HTML, script links.
function showDrawing(el, markup) {
  const svg = markup
    ? new DOMParser().parseFromString(markup, "text/html").body.firstElementChild
    : null;
  if (!svg || svg.localName !== "svg" || svg.namespaceURI !== "http://www.w3.org/2000/svg") {
    el.replaceChildren();
    return;
  }
  for (const bad of svg.querySelectorAll("script, foreignObject")) bad.remove();
  for (const node of [svg, ...svg.querySelectorAll("*")]) {
    for (const { name, value } of [...node.attributes]) {
      if (/^on/i.test(name) || (/href$/i.test(name) && /^\s*javascript:/i.test(value))) {
        node.removeAttribute(name);
      }
    }
  }
  el.replaceChildren(document.importNode(svg, true));
}

function capital(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

function render({ model, el }) {
  const root = document.createElement("section");
  root.className = "sk-timer";
  root.setAttribute("role", "timer");
  root.tabIndex = 0;
  root.innerHTML = TEMPLATE;
  // JupyterLab: keys pressed inside the timer are the timer's, not notebook shortcuts.
  // Lumino checks the focused element itself, so every control needs the mark too.
  for (const node of [root, ...root.querySelectorAll("button, input")]) {
    node.dataset.lmSuppressShortcuts = "true";
  }
  el.appendChild(root);
  const $ = (selector) => root.querySelector(selector);
  const ui = {
    title: $(".sk-title"), status: $(".sk-status"), image: $(".sk-image"),
    technique: $(".sk-technique"), phase: $(".sk-phase"), side: $(".sk-side"), rep: $(".sk-rep"),
    time: $(".sk-time"), cue: $(".sk-cue"), phaseBar: $(".sk-phase-bar"), planBar: $(".sk-plan-bar"),
    planLeft: $(".sk-plan-left"), primary: $(".sk-primary"), skip: $(".sk-skip"), reset: $(".sk-reset"),
    adjust: $(".sk-adjust"), less: $(".sk-less"), more: $(".sk-more"), setting: $(".sk-setting"),
    adjustNote: $(".sk-adjust-note"),
    sound: $(".sk-opt-sound"), speech: $(".sk-opt-speech"), flash: $(".sk-opt-flash"),
    repeat: $(".sk-opt-repeat"), repeatOption: $(".sk-repeat-option"),
    speechOption: $(".sk-speech-option"), presenter: $(".sk-presenter-toggle"), live: $(".sk-live"),
  };
  ui.speechOption.hidden = !(window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function");

  const core = new TimerCore();
  let phaseTimer = null;
  let drawTimer = null;
  let flashTimer = null;
  let audio = null;
  let spoke = false;
  let lastImage = null;

  const now = () => performance.now();

  // --- telling Python (phase changes, state, completion only) ---

  function tell(changes) {
    let dirty = false;
    for (const [key, value] of Object.entries(changes)) {
      if (model.get(key) !== value) {
        model.set(key, value);
        dirty = true;
      }
    }
    if (dirty) model.save_changes();
  }

  // --- cues ---

  function ensureAudio() {
    if (audio || !model.get("sound")) return;
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      audio = new Context();
    } catch {
      audio = null;
    }
  }

  function tone(final) {
    if (!model.get("sound") || !audio) return;
    try {
      if (audio.state === "suspended" && audio.resume) audio.resume();
      const notes = final ? [660, 880] : [880];
      notes.forEach((frequency, i) => {
        const t = audio.currentTime + i * 0.2;
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.25, t + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.18);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(t);
        osc.stop(t + 0.2);
      });
    } catch {
      // A tone is a nicety; never let it stop the timer.
    }
  }

  function speak(text) {
    const synth = window.speechSynthesis;
    const Utterance = window.SpeechSynthesisUtterance;
    if (!model.get("speech") || !synth || !Utterance || !text) return;
    try {
      synth.cancel();
      synth.speak(new Utterance(text));
      spoke = true;
    } catch {
      // Speech is optional and silently absent where unsupported.
    }
  }

  function flash() {
    if (!model.get("flash")) return;
    root.classList.remove("sk-flash");
    void root.offsetWidth; // restart the animation
    root.classList.add("sk-flash");
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => root.classList.remove("sk-flash"), FLASH_MS);
  }

  function announce(text) {
    // Alternate a trailing no-break space so a repeated cue is announced again.
    ui.live.textContent = ui.live.textContent === text ? `${text}\u00a0` : text;
  }

  function cue() {
    const phase = core.phase;
    if (!phase) return;
    announce(phase.cue || phase.label);
    tone(phase.kind === "done");
    speak(phase.cue || phase.label);
    flash();
  }

  // --- timekeeping ---

  function stopTimers() {
    clearTimeout(phaseTimer);
    clearInterval(drawTimer);
    phaseTimer = null;
    drawTimer = null;
  }

  function schedule() {
    clearTimeout(phaseTimer);
    phaseTimer = setTimeout(onPhaseEnd, Math.max(0, Math.ceil(core.endAt - now())));
    if (drawTimer === null) drawTimer = setInterval(draw, REDRAW_MS);
  }

  function onPhaseEnd() {
    phaseTimer = null;
    const t = now();
    const next = core.due(t);
    if (next === "early") schedule(); // woke a little early: aim again
    else if (next === "complete") complete(t);
    else if (next === "enter") enter();
  }

  function enter() {
    // A new phase while running or paused: show it, cue it, tell Python.
    if (core.state === "running") schedule();
    draw();
    cue();
    tell({ phase_index: core.idx });
  }

  function start() {
    const t = now(); // before the audio set-up, which can take tens of ms the first time
    if (!core.start(t)) return;
    ensureAudio();
    root.dataset.startedAt = t.toFixed(3);
    delete root.dataset.completedAt;
    root.dataset.pausedMs = "0";
    schedule();
    draw();
    cue();
    tell({ state: core.state, phase_index: core.idx });
  }

  function complete(t) {
    stopTimers();
    core.complete(t);
    root.dataset.completedAt = t.toFixed(3);
    draw();
    cue();
    // The report goes in the same message as the count, so Python reads it when told of the run.
    const run = core.report(t);
    const runs = (model.get("completed_runs") || 0) + 1;
    tell({ state: core.state, phase_index: core.idx, run, completed_runs: runs });
    if (model.get("repeat")) {
      // Start the next spell at once, anchored at this one's end.
      core.again(t);
      root.dataset.startedAt = t.toFixed(3);
      schedule();
      draw();
      tell({ state: core.state, phase_index: core.idx });
    }
  }

  function pause() {
    core.pause(now());
    stopTimers();
    draw();
    tell({ state: core.state });
  }

  function resume() {
    const t = now();
    ensureAudio();
    core.resume(t);
    root.dataset.pausedMs = core.pausedMs.toFixed(3);
    schedule();
    draw();
    tell({ state: core.state });
  }

  function skip() {
    const t = now();
    const next = core.skip(t);
    if (next === "complete") complete(t);
    else if (next === "enter") enter();
  }

  function reset() {
    stopTimers();
    core.reset();
    delete root.dataset.completedAt;
    draw();
    tell({ state: core.state, phase_index: core.idx });
  }

  function toggle() {
    if (core.state === "running") pause();
    else if (core.state === "paused") resume();
    else start();
  }

  // --- drawing ---

  function draw() {
    const { state, idx } = core;
    const phase = core.phase || { kind: "done", label: "", cue: "", seconds: 0 };
    const title = model.get("title") || "Stretch";
    setText(ui.title, title);
    setAttr(root, "aria-label", `${title} timer`);
    setAttr(root, "data-state", state);
    setAttr(root, "data-phase", phase.kind);
    setAttr(root, "data-phase-index", String(idx));
    setText(ui.status, STATUS[state]);
    const technique = phase.technique && phase.technique !== title ? phase.technique : "";
    ui.technique.hidden = !technique;
    setText(ui.technique, technique);
    setText(ui.phase, phase.label);
    setText(ui.side, phase.side ? phase.side_label || `${capital(phase.side)} side` : "");
    setText(ui.rep, phase.reps > 1 ? `Rep ${phase.rep} of ${phase.reps}` : "");
    setText(ui.cue, phase.cue || "");
    const image = phase.image >= 0 ? (model.get("images") || [])[phase.image] || "" : "";
    if (lastImage !== image) {
      lastImage = image;
      showDrawing(ui.image, lastImage);
      ui.image.hidden = !lastImage;
    }
    const { left, total, elapsed, phaseDone, planDone } = core.progress(now());
    setText(ui.time, clock(left));
    ui.phaseBar.value = phaseDone;
    ui.planBar.value = planDone;
    setAttr(ui.planBar, "aria-valuetext", `${clock(total - elapsed)} left of ${clock(total)}`);
    setText(ui.planLeft, `${clock(total - elapsed)} left`);
    setText(ui.primary, PRIMARY[state]);
    const active = document.activeElement;
    ui.skip.disabled = !core.active;
    ui.reset.disabled = state === "idle";
    drawAdjust();
    rescueFocus(active);
  }

  function drawAdjust() {
    const kind = model.get("adjust");
    ui.adjust.hidden = !kind;
    if (!kind) return;
    const [low, high, step] = model.get("adjust_range") || [0, 0, 1];
    const value = Number(model.get(kind));
    const editable = core.editable;
    const words = SETTINGS[kind] || SETTINGS.reps;
    setAttr(ui.adjust, "aria-label", words.group);
    setText(ui.less, `\u2212${step} ${words.unit(step)}`);
    setText(ui.more, `+${step} ${words.unit(step)}`);
    setText(ui.setting, words.show(value));
    ui.less.disabled = !editable || value - step < low;
    ui.more.disabled = !editable || value + step > high;
    // At either end, say why it goes no further (the limit and whose advice it is).
    const [atLow, atHigh] = model.get("adjust_notes") || ["", ""];
    setText(ui.adjustNote, value + step > high ? atHigh : value - step < low ? atLow : "");
  }

  function rescueFocus(active) {
    // A button disabled under the keyboard focus would drop it: keep focus in the timer.
    if (!active || !root.contains(active) || !active.disabled) return;
    const sibling = active === ui.less ? ui.more : active === ui.more ? ui.less : null;
    (sibling && !sibling.disabled && !ui.adjust.hidden ? sibling : ui.primary).focus();
  }

  function changeSetting(direction) {
    const kind = model.get("adjust");
    if (!kind || !core.editable) return;
    const [low, high, step] = model.get("adjust_range") || [0, 0, 1];
    const value = Number(model.get(kind)) + direction * step;
    if (value < low || value > high) return;
    model.set(kind, value);
    model.save_changes();
    const active = document.activeElement;
    drawAdjust();
    rescueFocus(active);
  }

  // --- loading the plan and options from Python ---

  function load() {
    stopTimers();
    core.load(model.get("phases"));
    lastImage = null;
    draw();
  }

  function syncOptions() {
    ui.sound.checked = !!model.get("sound");
    ui.speech.checked = !!model.get("speech");
    ui.flash.checked = !!model.get("flash");
    ui.repeat.checked = !!model.get("repeat");
    ui.repeatOption.hidden = !model.get("repeat_option");
    const presenter = !!model.get("presenter");
    root.classList.toggle("sk-presenter", presenter);
    ui.presenter.setAttribute("aria-pressed", String(presenter));
  }

  function setOption(key, value) {
    model.set(key, value);
    model.save_changes();
    syncOptions();
  }

  // --- events ---

  const onKey = (event) => {
    if (event.key !== " " || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    // Buttons and checkboxes handle Space themselves; keep it from the page around the
    // timer too (a reveal.js slideshow would otherwise take Space as "next slide").
    if (target !== root && target.closest("button, input, select, textarea, a, label")) {
      event.stopPropagation();
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    toggle();
  };
  const listeners = [
    [ui.primary, "click", toggle],
    [ui.skip, "click", skip],
    [ui.reset, "click", reset],
    [ui.less, "click", () => changeSetting(-1)],
    [ui.more, "click", () => changeSetting(1)],
    [ui.sound, "change", () => { setOption("sound", ui.sound.checked); ensureAudio(); }],
    [ui.speech, "change", () => setOption("speech", ui.speech.checked)],
    [ui.flash, "change", () => setOption("flash", ui.flash.checked)],
    [ui.repeat, "change", () => setOption("repeat", ui.repeat.checked)],
    [ui.presenter, "click", () => setOption("presenter", !model.get("presenter"))],
    [root, "keydown", onKey],
  ];
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);

  const modelListeners = [
    ["change:phases", () => { load(); tell({ state: core.state, phase_index: core.idx }); }],
    ["change:title", draw],
    ["change:adjust", drawAdjust],
    ["change:adjust_range", drawAdjust],
    ["change:adjust_notes", drawAdjust],
    ["change:hold", drawAdjust],
    ["change:reps", drawAdjust],
    ["change:minutes", drawAdjust],
    ["change:repeat", syncOptions],
    ["change:repeat_option", syncOptions],
    ["change:sound", syncOptions],
    ["change:speech", syncOptions],
    ["change:flash", syncOptions],
    ["change:presenter", syncOptions],
  ];
  for (const [event, fn] of modelListeners) model.on(event, fn);

  syncOptions();
  load();

  return () => {
    stopTimers();
    clearTimeout(flashTimer);
    for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
    for (const [event, fn] of modelListeners) model.off(event, fn);
    if (spoke && window.speechSynthesis) window.speechSynthesis.cancel();
    if (audio && audio.close) audio.close().catch(() => {});
    audio = null;
    root.remove();
  };
}

export default { render };
