// stretchkit stretch timer: plays a plan of phases sent from Python.
//
// Time is kept from performance.now() against an end time per phase. A setTimeout aimed
// at that end time moves to the next phase; the next end time is the previous *nominal*
// end plus the phase length, so small timer delays never add up. A 100 ms interval only
// redraws the display. Python hears about phase changes, state changes and completed
// runs, never ticks. No network access: tones come from Web Audio, speech from the
// browser's speechSynthesis, when present and switched on.

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
</div>
<div class="sk-options" role="group" aria-label="Cues and display">
  <label><input type="checkbox" class="sk-opt-sound"> Tone</label>
  <label class="sk-speech-option"><input type="checkbox" class="sk-opt-speech"> Spoken cues</label>
  <label><input type="checkbox" class="sk-opt-flash"> Flash</label>
  <button type="button" class="sk-presenter-toggle" aria-pressed="false">Presenter view</button>
</div>
<div class="sk-live sk-visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
`;

const STATUS = { idle: "Ready", running: "Running", paused: "Paused", done: "Done" };
const PRIMARY = { idle: "Start", running: "Pause", paused: "Resume", done: "Start" };
const FLASH_MS = 700;
const REDRAW_MS = 100;

function clock(ms) {
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
    sound: $(".sk-opt-sound"), speech: $(".sk-opt-speech"), flash: $(".sk-opt-flash"),
    speechOption: $(".sk-speech-option"), presenter: $(".sk-presenter-toggle"), live: $(".sk-live"),
  };
  ui.speechOption.hidden = !(window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function");

  let phases = [];
  let idx = 0;
  let state = "idle";
  let endAt = 0; // performance.now() at which the current phase ends (running)
  let leftMs = 0; // time left in the current phase (idle / paused)
  let pausedAt = 0;
  let pausedMs = 0;
  let phaseTimer = null;
  let drawTimer = null;
  let flashTimer = null;
  let audio = null;
  let spoke = false;
  let lastImage = null;

  const now = () => performance.now();
  const durMs = (i) => Math.max(0, Number(phases[i]?.seconds ?? 0) * 1000);
  const last = () => phases.length - 1;
  const currentLeft = () =>
    state === "running" ? Math.max(0, endAt - now()) : state === "done" ? 0 : leftMs;

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
    const phase = phases[idx];
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
    phaseTimer = setTimeout(onPhaseEnd, Math.max(0, Math.ceil(endAt - now())));
    if (drawTimer === null) drawTimer = setInterval(draw, REDRAW_MS);
  }

  function onPhaseEnd() {
    phaseTimer = null;
    if (state !== "running") return;
    const t = now();
    if (t < endAt) {
      schedule(); // woke a little early: aim again
      return;
    }
    // Move on from the nominal end time, passing any phases that are already over.
    do {
      idx += 1;
      if (idx >= last()) break;
      endAt += durMs(idx);
    } while (t >= endAt);
    if (idx >= last()) complete(t);
    else enter();
  }

  function enter() {
    // A new phase while running or paused: show it, cue it, tell Python.
    if (state === "running") schedule();
    draw();
    cue();
    tell({ phase_index: idx });
  }

  function start() {
    if (phases.length < 2) return;
    const t = now(); // before the audio set-up, which can take tens of ms the first time
    ensureAudio();
    root.dataset.startedAt = t.toFixed(3);
    delete root.dataset.completedAt;
    pausedMs = 0;
    root.dataset.pausedMs = "0";
    idx = 0;
    state = "running";
    endAt = t + durMs(0);
    schedule();
    draw();
    cue();
    tell({ state, phase_index: idx });
  }

  function complete(t) {
    stopTimers();
    idx = last();
    state = "done";
    leftMs = 0;
    root.dataset.completedAt = t.toFixed(3);
    draw();
    cue();
    tell({ state, phase_index: idx, completed_runs: (model.get("completed_runs") || 0) + 1 });
    if (model.get("repeat")) {
      // Start the next spell at once, anchored at this one's end.
      idx = 0;
      state = "running";
      root.dataset.startedAt = t.toFixed(3);
      endAt = t + durMs(0);
      schedule();
      draw();
      tell({ state, phase_index: idx });
    }
  }

  function pause() {
    const t = now();
    leftMs = Math.max(0, endAt - t);
    pausedAt = t;
    state = "paused";
    stopTimers();
    draw();
    tell({ state });
  }

  function resume() {
    const t = now();
    ensureAudio();
    endAt = t + leftMs;
    pausedMs += t - pausedAt;
    root.dataset.pausedMs = pausedMs.toFixed(3);
    state = "running";
    schedule();
    draw();
    tell({ state });
  }

  function skip() {
    if (state !== "running" && state !== "paused") return;
    const t = now();
    idx += 1;
    if (idx >= last()) {
      complete(t);
      return;
    }
    if (state === "running") endAt = t + durMs(idx);
    else leftMs = durMs(idx);
    enter();
  }

  function reset() {
    stopTimers();
    idx = 0;
    state = "idle";
    leftMs = durMs(0);
    delete root.dataset.completedAt;
    draw();
    tell({ state, phase_index: idx });
  }

  function toggle() {
    if (state === "running") pause();
    else if (state === "paused") resume();
    else start();
  }

  // --- drawing ---

  function draw() {
    const phase = phases[idx] || { kind: "done", label: "", cue: "", seconds: 0 };
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
    setText(ui.side, phase.side ? `${capital(phase.side)} side` : "");
    setText(ui.rep, phase.reps > 1 ? `Rep ${phase.rep} of ${phase.reps}` : "");
    setText(ui.cue, phase.cue || "");
    const image = phase.image >= 0 ? (model.get("images") || [])[phase.image] || "" : "";
    if (lastImage !== image) {
      lastImage = image;
      ui.image.innerHTML = lastImage;
      ui.image.hidden = !lastImage;
    }
    const left = currentLeft();
    setText(ui.time, clock(left));
    const dur = durMs(idx);
    const phaseDone = state === "done" ? 1 : dur > 0 ? 1 - left / dur : 0;
    ui.phaseBar.value = Math.min(1, Math.max(0, phaseDone));
    let total = 0;
    let before = 0;
    for (let i = 0; i < phases.length; i++) {
      total += durMs(i);
      if (i < idx) before += durMs(i);
    }
    const elapsed = state === "done" ? total : before + (dur - left);
    ui.planBar.value = total > 0 ? Math.min(1, Math.max(0, elapsed / total)) : 0;
    setAttr(ui.planBar, "aria-valuetext", `${clock(total - elapsed)} left of ${clock(total)}`);
    setText(ui.planLeft, `${clock(total - elapsed)} left`);
    setText(ui.primary, PRIMARY[state]);
    const active = document.activeElement;
    ui.skip.disabled = !(state === "running" || state === "paused");
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
    const editable = state === "idle" || state === "done";
    const hold = kind === "hold";
    setAttr(ui.adjust, "aria-label", hold ? "Hold time" : "Repetitions");
    setText(ui.less, `\u2212${step} ${hold ? "s" : "rep"}`);
    setText(ui.more, `+${step} ${hold ? "s" : "rep"}`);
    setText(ui.setting, hold ? `Hold ${value} s` : `${value} ${value === 1 ? "rep" : "reps"}`);
    ui.less.disabled = !editable || value - step < low;
    ui.more.disabled = !editable || value + step > high;
  }

  function rescueFocus(active) {
    // A button disabled under the keyboard focus would drop it: keep focus in the timer.
    if (!active || !root.contains(active) || !active.disabled) return;
    const sibling = active === ui.less ? ui.more : active === ui.more ? ui.less : null;
    (sibling && !sibling.disabled && !ui.adjust.hidden ? sibling : ui.primary).focus();
  }

  function changeSetting(direction) {
    const kind = model.get("adjust");
    if (!kind || !(state === "idle" || state === "done")) return;
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
    phases = Array.isArray(model.get("phases")) ? model.get("phases") : [];
    stopTimers();
    idx = 0;
    state = "idle";
    leftMs = durMs(0);
    lastImage = null;
    draw();
  }

  function syncOptions() {
    ui.sound.checked = !!model.get("sound");
    ui.speech.checked = !!model.get("speech");
    ui.flash.checked = !!model.get("flash");
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
    [ui.presenter, "click", () => setOption("presenter", !model.get("presenter"))],
    [root, "keydown", onKey],
  ];
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);

  const modelListeners = [
    ["change:phases", () => { load(); tell({ state, phase_index: idx }); }],
    ["change:title", draw],
    ["change:adjust", drawAdjust],
    ["change:adjust_range", drawAdjust],
    ["change:hold", drawAdjust],
    ["change:reps", drawAdjust],
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
