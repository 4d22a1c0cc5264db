// stretchkit stretch timer: plays a plan of phases sent from Python.
//
// Two parts. TimerCore is the timing logic, a small pure state machine: it is given the
// time (performance.now() in the page) and never touches the page, timers or Python, so
// it is tested on its own (tests/test_timer_js.py runs it in node). The view draws the
// core's state, schedules the next phase end, plays cues and tells Python; render() only
// puts its named parts together (the page, the cues, the timekeeping, the drawing, the
// sync from the model, the listeners) and returns the cleanup that undoes them.
//
// Time is kept against an end time per phase. A setTimeout aimed at that end time moves
// to the next phase; the next end time is the previous *nominal* end plus the phase
// length, so small timer delays never add up. A 100 ms interval only redraws the display.
// Python hears about phase changes, state changes and completed runs, never ticks; with a
// completed run it hears what happened (report(): seconds spent in each phase, pauses
// excluded, which phases were skipped, and how long the run took on the clock). No
// network access: tones come from Web Audio, speech from the browser's speechSynthesis,
// when present and switched on.

// --- the model: what Python syncs (stretchkit/timer.py's StretchTimer) ------------------------

/**
 * One phase as Python sends it: plan.py's Phase.to_dict, its drawing given as an index.
 * @typedef {object} PhaseData
 * @property {"get-ready"|"hold"|"switch"|"rest"|"move"|"sit"|"wait"|"done"} kind
 * @property {string} label  What to do now ("Hold").
 * @property {number} seconds  How long it lasts; 0 for "done" and "wait" (no clock: it waits for Ready).
 * @property {string} cue  What is announced (and spoken) on entering it.
 * @property {""|"left"|"right"} side
 * @property {string} side_label  The side as the stretch names it ("Left leg"), or "".
 * @property {number} rep  Which repetition, from 1 (0: not repeated).
 * @property {number} reps  Repetitions in all (0 or 1: not repeated).
 * @property {string} technique  The stretch it belongs to (a routine plays several).
 * @property {number} image  Its drawing: an index into `images`, or -1 for none.
 * @property {string[]} steps  Numbered steps shown and spoken with the cue (a wait's way to or from the floor).
 */

/**
 * What a completed run reports (TimerCore.report; plan.py's Run.from_report checks it).
 * @typedef {object} RunReport
 * @property {number[]} spent  Seconds spent in each phase, pauses excluded.
 * @property {number[]} skipped  Indices of the phases skipped.
 * @property {number} active  Seconds spent in all, pauses excluded.
 * @property {number} wall  Seconds from start to end on the clock, pauses included.
 * @property {number} paused  Seconds paused.
 */

/**
 * The widget's model: every trait StretchTimer syncs, by name and type
 * (tests/test_timer.py checks that this list and the Python traits agree).
 * @typedef {object} TimerState
 * @property {string} title
 * @property {string} summary  The plan in a line ("Hamstring Stretch: 2 sides x 30 s").
 * @property {PhaseData[]} phases
 * @property {string[]} images  Each drawing's SVG once; phases refer to them by index.
 * @property {boolean} presenter  A TimerOptions field: large, for a projector.
 * @property {boolean} sound  A TimerOptions field: a tone at each change.
 * @property {boolean} speech  A TimerOptions field: spoken cues.
 * @property {boolean} flash  A TimerOptions field: a flash at each change.
 * @property {boolean} repeat  Start the next spell as soon as one ends (a break reminder).
 * @property {boolean} repeat_option  Whether the Repeat box is offered.
 * @property {""|"hold"|"reps"|"minutes"} adjust  Which setting the in-widget control changes.
 * @property {number} hold  Seconds of each hold (adjust "hold").
 * @property {number} reps  Repetitions (adjust "reps").
 * @property {number} minutes  Minutes of sitting before a break reminder goes off (adjust "minutes").
 * @property {number[]} adjust_range  [lowest, highest, step] of the adjustable setting.
 * @property {string[]} adjust_notes  What the control says at its lowest and at its highest.
 * @property {"idle"|"running"|"paused"|"done"} state  Written here: where the run is.
 * @property {number} phase_index  Written here: the phase showing.
 * @property {number} completed_runs  Written here: how many runs have completed.
 * @property {RunReport|{}} run  Written here, with completed_runs: what happened in the last run.
 * @property {boolean} camera_paused  Written by a camera check (camera.js): hold paused while it cannot see the learner.
 */

/**
 * anywidget's model of one timer, typed by TimerState.
 * @typedef {object} Model
 * @property {<K extends keyof TimerState>(key: K) => TimerState[K]} get
 * @property {<K extends keyof TimerState>(key: K, value: TimerState[K]) => void} set
 * @property {() => void} save_changes
 * @property {(event: string, callback: () => void) => void} on
 * @property {(event: string, callback: () => void) => void} off
 */

// --- the page: the clock, the controls, the options --------------------------------------------

// What to do now, the time left and how far through (the clock and its readout).
const CLOCK = `
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
    <ol class="sk-steps" hidden></ol>
  </div>
</div>
<p class="sk-wake-note" role="note" hidden></p>
<div class="sk-progress">
  <div class="sk-bar"><span class="sk-bar-label">This phase</span>
    <progress class="sk-phase-bar" max="1" value="0" aria-label="This phase"></progress></div>
  <div class="sk-bar"><span class="sk-bar-label">Whole plan</span>
    <progress class="sk-plan-bar" max="1" value="0" aria-label="Whole plan"></progress>
    <span class="sk-plan-left"></span></div>
</div>`;

// Start/Pause, Skip, Reset, and the setting (hold, reps or minutes) changed before a run.
const CONTROLS = `
<div class="sk-controls" role="group" aria-label="Timer controls">
  <button type="button" class="sk-primary">Start</button>
  <button type="button" class="sk-skip">Skip</button>
  <button type="button" class="sk-reset">Reset</button>
  <button type="button" class="sk-mat-toggle">Mat mode</button>
</div>
<div class="sk-adjust" role="group" hidden>
  <button type="button" class="sk-less"></button>
  <output class="sk-setting" aria-live="off"></output>
  <button type="button" class="sk-more"></button>
  <span class="sk-adjust-note" role="status"></span>
</div>`;

// The options (cues and presenter view), and the live region that announces each cue.
const OPTIONS = `
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
// A "wait" phase (moving between a chair and the floor) has no clock: it waits for this press.
const WAITING = { status: "Waiting for you", primary: "Ready" };
// Mat mode: the current stretch fills the screen; the button's two names.
const MAT = { enter: "Mat mode", leave: "Leave mat mode" };
// Said once, in mat mode, where the browser cannot hold a screen wake lock (e.g. a plain-http address).
const WAKE_NOTE = "This browser can't keep the screen awake here, so the screen may dim or lock while the timer runs.";
// What a tap on the mat-mode surface leaves to the control it lands on.
const OWN_TAPS = "button, input, label, select, textarea, a";
const FLASH_MS = 700;
// A second press of Start/Pause this soon after the first is the rest of a double-click (older
// learners often double-click): it does nothing, so a double-clicked Start never at once pauses.
const DOUBLE_PRESS_MS = 400;
// The in-widget setting: its group's name, its unit and how its value reads.
const SETTINGS = {
  hold: { group: "Hold time", unit: () => "s", show: (v) => `Hold ${v} s` },
  reps: { group: "Repetitions", unit: () => "rep", show: (v) => `${v} ${v === 1 ? "rep" : "reps"}` },
  minutes: { group: "Minutes of sitting before the reminder", unit: () => "min", show: (v) => `${v} min` },
};
// The check boxes: each is the input ui[key] and the boolean trait of the same name.
const BOXES = ["sound", "speech", "flash", "repeat"];
// The traits the setting's control (drawAdjust) shows.
const ADJUST_TRAITS = ["adjust", "adjust_range", "adjust_notes", "hold", "reps", "minutes"];
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

  // A "wait" phase has no clock: it lasts until the learner's Ready (ready()).
  waits(i) {
    return this.phases[i]?.kind === "wait";
  }

  // Playing (running or paused) and at a wait phase.
  get waiting() {
    return this.active && this.waits(this.idx);
  }

  // Aim the current phase's end from time t: never, at a wait phase.
  aim(t) {
    this.endAt = this.waits(this.idx) ? Infinity : t + this.dur(this.idx);
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
    if (this.waiting) return 0;
    if (this.state === "running") return Math.max(0, this.endAt - t);
    return this.state === "done" ? 0 : this.leftMs;
  }

  // Start from the first phase at time t; false when the plan has nothing to play.
  start(t) {
    if (this.phases.length < 2) return false;
    this.pausedMs = 0;
    this.idx = 0;
    this.state = "running";
    this.aim(t);
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
      if (this.waits(this.idx)) this.endAt = Infinity; // stop here until Ready
      else this.endAt += this.dur(this.idx);
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
    this.aim(t);
    this.pausedMs = 0;
    this.clearRecord(t);
  }

  pause(t) {
    this.leftMs = this.waiting ? 0 : Math.max(0, this.endAt - t);
    this.pausedAt = t;
    this.state = "paused";
  }

  resume(t) {
    this.endAt = this.waiting ? Infinity : t + this.leftMs;
    this.pausedMs += t - this.pausedAt;
    this.state = "running";
  }

  // The learner's Ready at a wait phase, at time t (running on from a pause too): "enter"
  // the next phase, "complete" (call complete()), or null when not waiting. No time is spent.
  ready(t) {
    if (!this.waiting) return null;
    if (this.state === "paused") {
      this.pausedMs += t - this.pausedAt;
      this.state = "running";
    }
    this.idx += 1;
    if (this.idx >= this.last) return "complete";
    this.aim(t);
    return "enter";
  }

  // Skip to the next phase: "enter", "complete" (call complete()), or null when not playing.
  skip(t) {
    if (!this.active) return null;
    this.leave(this.left(t));
    this.skips.push(this.idx);
    this.idx += 1;
    if (this.idx >= this.last) return "complete";
    if (this.state === "running") this.aim(t);
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

// --- one timer on the page ---------------------------------------------------------------------

/**
 * One timer on the page: its model, its elements, its logic and what it has running.
 * @typedef {object} View
 * @property {Model} model
 * @property {HTMLElement} root  The timer's <section>.
 * @property {Parts} ui  Its elements, by name.
 * @property {TimerCore} core
 * @property {number|null} phaseTimer  The timeout aimed at the current phase's end.
 * @property {number|null} drawTimer  The interval that redraws the display while running.
 * @property {number|null} flashTimer  The timeout that ends a flash.
 * @property {AudioContext|null} audio  Made at a Start with the tone on (browsers allow sound after a click).
 * @property {boolean} spoke  Whether it has spoken, so cleanup stops what it said.
 * @property {string|null} lastImage  The drawing showing, so it is drawn again only when it changes.
 * @property {number} lastPress  When Start/Pause was last pressed (see DOUBLE_PRESS_MS).
 * @property {string|null} lastSteps  The steps showing, likewise.
 * @property {false|"fullscreen"|"overlay"} mat  Mat mode: off, on the whole screen, or over the page.
 * @property {Comment|null} home  Where the timer goes back to after an overlay (it moves to <body>).
 * @property {boolean} matSpeech  Mat mode switched spoken cues on (and switches them off on leaving).
 * @property {boolean} matSpeechOff  The learner switched spoken cues off in mat mode: leave them off.
 * @property {WakeLockSentinel|null} wake  The screen wake lock held while running in mat mode.
 * @property {boolean} waking  A wake lock was asked for and has not come yet.
 * @property {boolean} wakeFailed  The browser refused one: say so, and ask again only on resume.
 */

/** @typedef {ReturnType<typeof findParts>} Parts */

/**
 * The timer's <section>, built from CLOCK, CONTROLS and OPTIONS and put in `el`.
 * @param {HTMLElement} el
 */
function buildTimer(el) {
  const root = document.createElement("section");
  root.className = "sk-timer";
  root.setAttribute("role", "timer");
  root.tabIndex = 0;
  root.innerHTML = CLOCK + CONTROLS + OPTIONS;
  // JupyterLab: keys pressed inside the timer are the timer's, not notebook shortcuts.
  // Lumino checks the focused element itself, so every control needs the mark too.
  for (const node of [root, ...root.querySelectorAll("button, input")]) {
    node.dataset.lmSuppressShortcuts = "true";
  }
  el.appendChild(root);
  return root;
}

/** @param {HTMLElement} root */
function findParts(root) {
  const $ = (selector) => root.querySelector(selector);
  return {
    title: $(".sk-title"), status: $(".sk-status"), image: $(".sk-image"),
    technique: $(".sk-technique"), phase: $(".sk-phase"), side: $(".sk-side"), rep: $(".sk-rep"),
    time: $(".sk-time"), cue: $(".sk-cue"), phaseBar: $(".sk-phase-bar"), planBar: $(".sk-plan-bar"),
    planLeft: $(".sk-plan-left"), primary: $(".sk-primary"), skip: $(".sk-skip"), reset: $(".sk-reset"),
    adjust: $(".sk-adjust"), less: $(".sk-less"), more: $(".sk-more"), setting: $(".sk-setting"),
    adjustNote: $(".sk-adjust-note"), steps: $(".sk-steps"), wakeNote: $(".sk-wake-note"),
    mat: $(".sk-mat-toggle"),
    sound: $(".sk-opt-sound"), speech: $(".sk-opt-speech"), flash: $(".sk-opt-flash"),
    repeat: $(".sk-opt-repeat"), repeatOption: $(".sk-repeat-option"),
    speechOption: $(".sk-speech-option"), presenter: $(".sk-presenter-toggle"), live: $(".sk-live"),
  };
}

/**
 * @param {Model} model
 * @param {HTMLElement} el
 * @returns {View}
 */
function createView(model, el) {
  const root = buildTimer(el);
  const ui = findParts(root);
  ui.speechOption.hidden = !(window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function");
  return {
    model, root, ui, core: new TimerCore(),
    phaseTimer: null, drawTimer: null, flashTimer: null, audio: null, spoke: false, lastImage: null,
    lastPress: -Infinity,
    lastSteps: null, mat: false, home: null, matSpeech: false, matSpeechOff: false,
    wake: null, waking: false, wakeFailed: false,
  };
}

const now = () => performance.now();

// --- telling Python (phase changes, state, completion only) ---

/**
 * Set what changed and send it in one message.
 * @param {View} view
 * @param {Partial<TimerState>} changes
 */
function tell({ model }, changes) {
  let dirty = false;
  for (const [key, value] of Object.entries(changes)) {
    if (model.get(key) !== value) {
      model.set(key, value);
      dirty = true;
    }
  }
  if (dirty) model.save_changes();
}

// --- cues: a tone, a spoken cue, a flash, an announcement ---

/** @param {View} view */
function primeAudio(view) {
  if (view.audio || !view.model.get("sound")) return;
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  try {
    view.audio = new Context();
  } catch {
    view.audio = null;
  }
}

/**
 * One short sine note at time t (in the audio context's time).
 * @param {AudioContext} audio
 * @param {number} frequency
 * @param {number} t
 */
function note(audio, frequency, t) {
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
}

/**
 * A tone at a change: one note, or two rising at the end.
 * @param {View} view
 * @param {boolean} final
 */
function tone({ model, audio }, final) {
  if (!model.get("sound") || !audio) return;
  try {
    if (audio.state === "suspended" && audio.resume) audio.resume();
    const notes = final ? [660, 880] : [880];
    notes.forEach((frequency, i) => note(audio, frequency, audio.currentTime + i * 0.2));
  } catch {
    // A tone is a nicety; never let it stop the timer.
  }
}

/**
 * @param {View} view
 * @param {string} text
 */
function speak(view, text) {
  const synth = window.speechSynthesis;
  const Utterance = window.SpeechSynthesisUtterance;
  if (!view.model.get("speech") || !synth || !Utterance || !text) return;
  try {
    synth.cancel();
    synth.speak(new Utterance(text));
    view.spoke = true;
  } catch {
    // Speech is optional and silently absent where unsupported.
  }
}

/** @param {View} view */
function flash(view) {
  if (!view.model.get("flash")) return;
  const { root } = view;
  root.classList.remove("sk-flash");
  void root.offsetWidth; // restart the animation
  root.classList.add("sk-flash");
  clearTimeout(view.flashTimer);
  view.flashTimer = setTimeout(() => root.classList.remove("sk-flash"), FLASH_MS);
}

/**
 * @param {View} view
 * @param {string} text
 */
function announce({ ui }, text) {
  // Alternate a trailing no-break space so a repeated cue is announced again.
  ui.live.textContent = ui.live.textContent === text ? `${text}\u00a0` : text;
}

/**
 * Every cue for the phase entered, each as its option allows.
 * @param {View} view
 */
function cue(view) {
  const phase = view.core.phase;
  if (!phase) return;
  const text = [phase.cue || phase.label, ...(phase.steps || [])].join(" ");
  announce(view, text);
  tone(view, phase.kind === "done");
  speak(view, text);
  flash(view);
}

/**
 * Cleanup: end the flash, stop speaking, close the audio.
 * @param {View} view
 */
function silence(view) {
  clearTimeout(view.flashTimer);
  if (view.spoke && window.speechSynthesis) window.speechSynthesis.cancel();
  if (view.audio && view.audio.close) view.audio.close().catch(() => {});
  view.audio = null;
}

// --- timekeeping ---

/** @param {View} view */
function stopTimers(view) {
  clearTimeout(view.phaseTimer);
  clearInterval(view.drawTimer);
  view.phaseTimer = null;
  view.drawTimer = null;
}

/**
 * Aim a timeout at the current phase's end, and redraw while it runs.
 * @param {View} view
 */
function schedule(view) {
  clearTimeout(view.phaseTimer);
  view.phaseTimer = null;
  // A wait phase has no end to aim at (and a timeout past 2^31 ms would fire at once).
  if (Number.isFinite(view.core.endAt)) {
    view.phaseTimer = setTimeout(() => onPhaseEnd(view), Math.max(0, Math.ceil(view.core.endAt - now())));
  }
  if (view.drawTimer === null) view.drawTimer = setInterval(() => draw(view), REDRAW_MS);
}

/** @param {View} view */
function onPhaseEnd(view) {
  view.phaseTimer = null;
  const t = now();
  const next = view.core.due(t);
  if (next === "early") schedule(view); // woke a little early: aim again
  else if (next === "complete") complete(view, t);
  else if (next === "enter") enter(view);
}

/**
 * A new phase while running or paused: show it, cue it, tell Python.
 * @param {View} view
 */
function enter(view) {
  if (view.core.state === "running") schedule(view);
  draw(view);
  cue(view);
  tell(view, { phase_index: view.core.idx });
}

/** @param {View} view */
function start(view) {
  const { core, root } = view;
  const t = now(); // before the audio set-up, which can take tens of ms the first time
  if (!core.start(t)) return;
  primeAudio(view);
  root.dataset.startedAt = t.toFixed(3);
  delete root.dataset.completedAt;
  root.dataset.pausedMs = "0";
  schedule(view);
  draw(view);
  cue(view);
  tell(view, { state: core.state, phase_index: core.idx });
}

/**
 * The plan is over at time t: tell Python, with the run's report, and repeat if asked.
 * @param {View} view
 * @param {number} t
 */
function complete(view, t) {
  const { core, model, root } = view;
  stopTimers(view);
  core.complete(t);
  root.dataset.completedAt = t.toFixed(3);
  draw(view);
  cue(view);
  // The report goes in the same message as the count, so Python reads it when told of the run.
  const run = core.report(t);
  const runs = (model.get("completed_runs") || 0) + 1;
  tell(view, { state: core.state, phase_index: core.idx, run, completed_runs: runs });
  if (model.get("repeat")) again(view, t);
}

/**
 * Start the next spell at once, anchored at the end time t of the last.
 * @param {View} view
 * @param {number} t
 */
function again(view, t) {
  view.core.again(t);
  view.root.dataset.startedAt = t.toFixed(3);
  schedule(view);
  draw(view);
  tell(view, { state: view.core.state, phase_index: view.core.idx });
}

/** @param {View} view */
function pause(view) {
  view.core.pause(now());
  stopTimers(view);
  draw(view);
  tell(view, { state: view.core.state });
}

/** @param {View} view */
function resume(view) {
  const t = now();
  primeAudio(view);
  view.core.resume(t);
  view.root.dataset.pausedMs = view.core.pausedMs.toFixed(3);
  schedule(view);
  draw(view);
  tell(view, { state: view.core.state });
}

/** @param {View} view */
function skip(view) {
  const t = now();
  const next = view.core.skip(t);
  if (next === "complete") complete(view, t);
  else if (next === "enter") enter(view);
}

/** @param {View} view */
function reset(view) {
  stopTimers(view);
  view.core.reset();
  delete view.root.dataset.completedAt;
  draw(view);
  tell(view, { state: view.core.state, phase_index: view.core.idx });
}

/**
 * A camera check (camera.js) pauses a running hold while it cannot see the learner in
 * position, and resumes only a pause it made; the learner's own Pause and Resume still rule.
 * @param {View} view
 */
function followCamera(view) {
  const out = view.model.get("camera_paused");
  if (out && view.core.state === "running" && view.core.phase?.kind === "hold") {
    pause(view);
    view.root.dataset.cameraPaused = "true";
  } else if (!out && view.root.dataset.cameraPaused) {
    delete view.root.dataset.cameraPaused;
    if (view.core.state === "paused") resume(view);
  }
}

/**
 * The learner's Ready at a wait phase: on to the next phase (from a pause too).
 * @param {View} view
 */
function ready(view) {
  const t = now();
  const next = view.core.ready(t);
  if (next === "complete") complete(view, t);
  else if (next === "enter") {
    view.root.dataset.pausedMs = view.core.pausedMs.toFixed(3);
    enter(view);
    tell(view, { state: view.core.state });
  }
}

/**
 * The primary button (and Space): start, pause or resume; at a wait phase, Ready.
 * @param {View} view
 */
function toggle(view) {
  if (view.core.waiting) ready(view);
  else if (view.core.state === "running") pause(view);
  else if (view.core.state === "paused") resume(view);
  else start(view);
}

/**
 * A click on the primary button. A pointer's second click within DOUBLE_PRESS_MS is the rest
 * of a double-click (or a double tap) and does nothing; a key's press (Enter or Space on the
 * button, a click with detail 0) is always deliberate and always counts.
 * @param {View} view
 * @param {MouseEvent} event
 */
function press(view, event) {
  const t = now();
  if (event.detail !== 0 && t - view.lastPress < DOUBLE_PRESS_MS) return;
  view.lastPress = t;
  toggle(view);
}

// --- drawing ---

/**
 * Draw the core's state: the phase, the clock, the bars and the controls.
 * @param {View} view
 */
function draw(view) {
  const { core, model, root, ui } = view;
  const phase = core.phase || { kind: "done", label: "", cue: "", seconds: 0 };
  const title = model.get("title") || "Stretch";
  setText(ui.title, title);
  setAttr(root, "aria-label", `${title} timer`);
  setAttr(root, "data-state", core.state);
  setAttr(root, "data-phase", phase.kind);
  setAttr(root, "data-phase-index", String(core.idx));
  setText(ui.status, core.waiting ? WAITING.status : STATUS[core.state]);
  drawPhase(view, phase, title);
  drawProgress(view);
  setText(ui.primary, core.waiting ? WAITING.primary : PRIMARY[core.state]);
  drawMat(view);
  const active = document.activeElement;
  ui.skip.disabled = !core.active;
  ui.reset.disabled = core.state === "idle";
  drawAdjust(view);
  rescueFocus(view, active);
}

/**
 * What to do now: the stretch (in a routine), the phase, side and rep, the cue, the drawing.
 * @param {View} view
 * @param {PhaseData} phase
 * @param {string} title
 */
function drawPhase(view, phase, title) {
  const { model, ui } = view;
  const technique = phase.technique && phase.technique !== title ? phase.technique : "";
  ui.technique.hidden = !technique;
  setText(ui.technique, technique);
  setText(ui.phase, phase.label);
  setText(ui.side, phase.side ? phase.side_label || `${capital(phase.side)} side` : "");
  setText(ui.rep, phase.reps > 1 ? `Rep ${phase.rep} of ${phase.reps}` : "");
  setText(ui.cue, phase.cue || "");
  const steps = phase.steps || [];
  if (view.lastSteps !== steps.join("\n")) {
    view.lastSteps = steps.join("\n");
    ui.steps.replaceChildren(...steps.map((step) => Object.assign(document.createElement("li"), { textContent: step })));
    ui.steps.hidden = !steps.length;
  }
  const image = phase.image >= 0 ? (model.get("images") || [])[phase.image] || "" : "";
  if (view.lastImage !== image) {
    view.lastImage = image;
    showDrawing(ui.image, image);
    ui.image.hidden = !image;
  }
}

/**
 * The time left, and how far through the phase and the plan.
 * @param {View} view
 */
function drawProgress({ core, ui }) {
  const { left, total, elapsed, phaseDone, planDone } = core.progress(now());
  setText(ui.time, clock(left));
  ui.phaseBar.value = phaseDone;
  ui.planBar.value = planDone;
  setAttr(ui.planBar, "aria-valuetext", `${clock(total - elapsed)} left of ${clock(total)}`);
  setText(ui.planLeft, `${clock(total - elapsed)} left`);
}

/**
 * The setting's control: its value, its buttons (only between runs) and, at a limit, why; the
 * keyboard focus kept in the timer when a button it was on is disabled. (Chromium 150 moves the
 * focus off a button the moment it is disabled, so what had it is taken before, here.)
 * @param {View} view
 */
function drawAdjust(view) {
  const active = document.activeElement;
  setAdjust(view);
  rescueFocus(view, active);
}

/** @param {View} view */
function setAdjust({ core, model, ui }) {
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

/**
 * A button disabled under the keyboard focus would drop it: keep focus in the timer.
 * @param {View} view
 * @param {Element|null} active  What had the focus before the buttons were redrawn.
 */
function rescueFocus({ root, ui }, active) {
  if (!active || !root.contains(active) || !active.disabled) return;
  const sibling = active === ui.less ? ui.more : active === ui.more ? ui.less : null;
  (sibling && !sibling.disabled && !ui.adjust.hidden ? sibling : ui.primary).focus();
}

/**
 * The −/+ buttons: one step down (-1) or up (1), within the range; Python rebuilds the plan.
 * @param {View} view
 * @param {-1|1} direction
 */
function changeSetting(view, direction) {
  const { core, model } = view;
  const kind = model.get("adjust");
  if (!kind || !core.editable) return;
  const [low, high, step] = model.get("adjust_range") || [0, 0, 1];
  const value = Number(model.get(kind)) + direction * step;
  if (value < low || value > high) return;
  model.set(kind, value);
  model.save_changes();
  drawAdjust(view);
}

// --- mat mode: the current stretch on the whole screen, kept awake ---

/**
 * The button: into mat mode, or out of it.
 * @param {View} view
 */
function toggleMat(view) {
  if (view.mat) leaveMat(view);
  else enterMat(view);
}

/**
 * Fill the screen with the timer: the Fullscreen API where there is one, else an overlay.
 * @param {View} view
 */
function enterMat(view) {
  const { root } = view;
  root.classList.add("sk-mat");
  view.wakeFailed = false;
  speechOnTheMat(view);
  if (root.requestFullscreen && document.fullscreenEnabled !== false) {
    view.mat = "fullscreen";
    root.requestFullscreen().catch(() => {
      if (view.mat) overlay(view);
    });
  } else overlay(view);
  draw(view);
}

/**
 * Without fullscreen: cover the page from <body>, above anything that would clip a fixed box.
 * @param {View} view
 */
function overlay(view) {
  const { root, ui } = view;
  view.mat = "overlay";
  if (!view.home && root.parentNode && root.parentNode !== document.body) {
    view.home = document.createComment("stretchkit timer");
    root.parentNode.insertBefore(view.home, root);
    document.body.appendChild(root);
    ui.mat.focus();
  }
  draw(view);
}

/**
 * Back to the timer in its page: out of fullscreen, back in its place, speech as it was.
 * @param {View} view
 */
function leaveMat(view) {
  const { model, root, ui } = view;
  if (!view.mat) return;
  view.mat = false;
  root.classList.remove("sk-mat");
  if (document.fullscreenElement === root && document.exitFullscreen) document.exitFullscreen().catch(() => {});
  if (view.home) {
    view.home.replaceWith(root);
    view.home = null;
  }
  if (view.matSpeech && model.get("speech")) setOption(view, "speech", false);
  view.matSpeech = false;
  draw(view);
  if (root.isConnected) ui.mat.focus();
}

/**
 * Spoken cues are on by default in mat mode, unless the learner switched them off there.
 * @param {View} view
 */
function speechOnTheMat(view) {
  view.matSpeech = false;
  if (view.ui.speechOption.hidden || view.matSpeechOff || view.model.get("speech")) return;
  view.matSpeech = true;
  setOption(view, "speech", true);
}

/** Whether this page may hold a screen wake lock (a secure address, and the API). */
function canWake() {
  return !!(window.isSecureContext && navigator.wakeLock && typeof navigator.wakeLock.request === "function");
}

/**
 * Hold the screen wake lock while running in mat mode on a visible page; release it otherwise.
 * @param {View} view
 */
function keepAwake(view) {
  const want = !!view.mat && view.core.state === "running" && document.visibilityState !== "hidden";
  if (!want && view.wake) {
    const lock = view.wake;
    view.wake = null;
    lock.release().catch(() => {});
  } else if (want && !view.wake && !view.waking && !view.wakeFailed && canWake()) {
    view.waking = true;
    navigator.wakeLock.request("screen").then(
      (lock) => {
        view.waking = false;
        view.wake = lock;
        // The browser lets go when the page is hidden: ask again when it is shown.
        lock.addEventListener?.("release", () => {
          if (view.wake === lock) view.wake = null;
        });
        keepAwake(view); // paused or left meanwhile: release it at once
      },
      () => {
        view.waking = false;
        view.wakeFailed = true;
        drawMat(view);
      },
    );
  }
}

/**
 * The mat-mode button's name, the one-line note where the screen can't be kept awake, the lock.
 * @param {View} view
 */
function drawMat(view) {
  const { ui } = view;
  setText(ui.mat, view.mat ? MAT.leave : MAT.enter);
  const note = !!view.mat && (!canWake() || view.wakeFailed);
  if (note) setText(ui.wakeNote, WAKE_NOTE);
  ui.wakeNote.hidden = !note;
  keepAwake(view);
}

/**
 * In mat mode one tap anywhere (not on a control) pauses or resumes; Ready stays a button.
 * @param {View} view
 * @param {MouseEvent} event
 */
function onTap(view, event) {
  const target = /** @type {Element} */ (event.target);
  if (!view.mat || target.closest(OWN_TAPS) || view.core.waiting || view.core.state === "done") return;
  press(view, event); // a double tap is one tap, as on the button
}

/**
 * The page around the timer: Escape and the end of fullscreen leave mat mode, a page shown
 * again takes the wake lock again. Returns what stops listening.
 * @param {View} view
 * @returns {() => void}
 */
function followPage(view) {
  const listeners = [
    ["keydown", (event) => {
      if (event.key === "Escape" && view.mat) {
        event.preventDefault();
        leaveMat(view);
      }
    }],
    ["fullscreenchange", () => {
      if (view.mat === "fullscreen" && document.fullscreenElement !== view.root) leaveMat(view);
    }],
    ["visibilitychange", () => {
      view.wakeFailed = false;
      keepAwake(view);
    }],
  ];
  for (const [type, fn] of listeners) document.addEventListener(type, fn);
  return () => {
    for (const [type, fn] of listeners) document.removeEventListener(type, fn);
  };
}

// --- the sync from the model: the plan and the options Python sends ---

/**
 * A new plan: back to its start, idle.
 * @param {View} view
 */
function load(view) {
  stopTimers(view);
  view.core.load(view.model.get("phases"));
  view.lastImage = null;
  draw(view);
}

/**
 * Show the options as the model has them: the check boxes and presenter view.
 * @param {View} view
 */
function syncOptions({ model, root, ui }) {
  for (const key of BOXES) ui[key].checked = !!model.get(key);
  ui.repeatOption.hidden = !model.get("repeat_option");
  const presenter = !!model.get("presenter");
  root.classList.toggle("sk-presenter", presenter);
  ui.presenter.setAttribute("aria-pressed", String(presenter));
}

/**
 * The learner changed an option: tell Python and show it.
 * @param {View} view
 * @param {"presenter"|"sound"|"speech"|"flash"|"repeat"} key
 * @param {boolean} value
 */
function setOption(view, key, value) {
  view.model.set(key, value);
  view.model.save_changes();
  syncOptions(view);
}

/**
 * A new plan from Python: load it, and say the run is back at its start.
 * @param {View} view
 */
function newPlan(view) {
  load(view);
  tell(view, { state: view.core.state, phase_index: view.core.idx });
}

/**
 * Redraw whatever a change from Python touches; returns what stops listening.
 * @param {View} view
 * @returns {() => void}
 */
function followModel(view) {
  const options = () => syncOptions(view);
  const adjust = () => drawAdjust(view);
  const listeners = [
    ["change:phases", () => newPlan(view)],
    ["change:title", () => draw(view)],
    ["change:camera_paused", () => followCamera(view)],
    ...ADJUST_TRAITS.map((key) => [`change:${key}`, adjust]),
    ...[...BOXES, "repeat_option", "presenter"].map((key) => [`change:${key}`, options]),
  ];
  for (const [event, fn] of listeners) view.model.on(event, fn);
  return () => {
    for (const [event, fn] of listeners) view.model.off(event, fn);
  };
}

// --- the learner: buttons, check boxes and the keyboard ---

/**
 * Space anywhere in the timer starts, pauses or resumes it.
 * @param {View} view
 * @param {KeyboardEvent} event
 */
function onKey(view, event) {
  if (event.key !== " " || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  // Buttons and checkboxes handle Space themselves; keep it from the page around the
  // timer too (a reveal.js slideshow would otherwise take Space as "next slide").
  if (target !== view.root && target.closest("button, input, select, textarea, a, label")) {
    event.stopPropagation();
    return;
  }
  event.preventDefault();
  event.stopPropagation();
  toggle(view);
}

/**
 * Listen to the timer's controls and keys; returns what stops listening.
 * @param {View} view
 * @returns {() => void}
 */
function listenToLearner(view) {
  const { model, root, ui } = view;
  const box = (key) => () => {
    setOption(view, key, ui[key].checked);
    if (key === "sound") primeAudio(view);
    if (key === "speech" && view.mat) {
      view.matSpeechOff = !ui.speech.checked; // the learner's own choice, in mat mode
      view.matSpeech = false;
    }
  };
  const listeners = [
    [ui.primary, "click", (event) => press(view, event)],
    [ui.skip, "click", () => skip(view)],
    [ui.reset, "click", () => reset(view)],
    [ui.less, "click", () => changeSetting(view, -1)],
    [ui.more, "click", () => changeSetting(view, 1)],
    ...BOXES.map((key) => [ui[key], "change", box(key)]),
    [ui.presenter, "click", () => setOption(view, "presenter", !model.get("presenter"))],
    [ui.mat, "click", () => toggleMat(view)],
    [root, "click", (event) => onTap(view, event)],
    [root, "keydown", (event) => onKey(view, event)],
  ];
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);
  return () => {
    for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
  };
}

// --- anywidget's entry point ---

/**
 * Draw a timer in `el`; returns the cleanup that removes every listener, timer and cue it made.
 * @param {{model: Model, el: HTMLElement}} widget
 * @returns {() => void}
 */
function render({ model, el }) {
  const view = createView(model, el);
  const unlisten = [listenToLearner(view), followModel(view), followPage(view)];
  syncOptions(view);
  load(view);
  return () => {
    leaveMat(view);
    stopTimers(view);
    view.core.state = "idle"; // let go of any wake lock
    keepAwake(view);
    for (const stop of unlisten) stop();
    silence(view);
    view.root.remove();
  };
}

export default { render };
