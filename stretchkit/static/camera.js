// The camera check: an opt-in, private check that the learner is in a stretch's position.
//
// The pose model (MoveNet Lightning, run by @vladmandic/human on TensorFlow.js's wasm
// backend) and its files come from the course's own package, sent by Python over the
// widget's channel on the first click and imported from Blob URLs. In the static site they
// are not in the course's wheel (a first visit would download them); Python answers with
// where they are on the site, and they are fetched from the site's own host on that click.
// Nothing is fetched from anywhere else, and no frame leaves the browser. `check` mirrors stretchkit/posecheck.py's
// rules (tests/test_posecheck.py holds both to the same keypoints).

// --- the rules (pure: mirrors posecheck.py) ----------------------------------------------

/**
 * @typedef {object} Keypoint
 * @property {string} name  A COCO keypoint name ("left_hip").
 * @property {number} x  Pixels from the frame's left.
 * @property {number} y  Pixels from the frame's top.
 * @property {number} score  The model's confidence, 0 to 1.
 */

/**
 * @typedef {object} Position  posecheck.Position.as_data()
 * @property {string} slug
 * @property {{measure: string, degrees: number, tolerance: number}[][]} poses
 * @property {number} min_score
 * @property {number} min_seen
 */

const LEG = { hip: ["shoulder", "hip", "knee"], knee: ["hip", "knee", "ankle"] };
const deg = (r) => (r * 180) / Math.PI;
const clamp1 = (v) => Math.max(-1, Math.min(1, v));

/** The bend at b in degrees: 0 when a, b and c lie in a straight line. */
function angleAt(a, b, c) {
  const v1 = [a[0] - b[0], a[1] - b[1]];
  const v2 = [c[0] - b[0], c[1] - b[1]];
  const n = Math.hypot(...v1) * Math.hypot(...v2);
  if (n === 0) return 0;
  return 180 - deg(Math.acos(clamp1((v1[0] * v2[0] + v1[1] * v2[1]) / n)));
}

/** The direction from a to b, in degrees from straight up (y up), either way round. */
function fromUp(a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  if (dx === 0 && dy === 0) return 0;
  return deg(Math.acos(clamp1(dy / Math.hypot(dx, dy))));
}

/** Every measure the points (y up) allow, the `near` side's leg as the working leg. */
function measures(points, near, far) {
  const out = {};
  const { shoulder, hip, nose } = points;
  if (shoulder && hip) out.trunk = fromUp(hip, shoulder);
  if (shoulder && nose) out.head = fromUp(shoulder, nose);
  for (const [prefix, side] of [["", near], ["other_", far]]) {
    for (const [name, parts] of Object.entries(LEG)) {
      const keys = parts.map((k) => (k === "shoulder" ? k : `${side}_${k}`));
      if (keys.every((k) => k in points)) out[prefix + name] = angleAt(...keys.map((k) => points[k]));
    }
  }
  return out;
}

/** The keypoints seen well enough, y turned up; each side's pair merged into the trunk's. */
function seenPoints(keypoints, minScore) {
  const seen = {};
  for (const k of keypoints) if (k.score >= minScore) seen[k.name] = [k.x, -k.y];
  for (const part of ["shoulder", "hip"]) {
    const pair = ["left", "right"].map((s) => seen[`${s}_${part}`]).filter(Boolean);
    if (pair.length) seen[part] = [0, 1].map((i) => pair.reduce((a, p) => a + p[i], 0) / pair.length);
  }
  return seen;
}

/** How far outside its tolerance the worst angle is (<= 0: all within), and which. */
function worst(angles, got) {
  let off = -Infinity;
  let reason = "";
  for (const a of angles) {
    const o = Math.abs(got[a.measure] - a.degrees) - a.tolerance;
    if (o > off) {
      off = o;
      reason = `${a.measure} ${got[a.measure].toFixed(0)}° (the position's: ${a.degrees.toFixed(0)}° ± ${a.tolerance.toFixed(0)}°)`;
    }
  }
  return [off, reason];
}

/**
 * Whether one frame's keypoints show the position (posecheck.check, for the browser).
 * @param {Position} position
 * @param {Keypoint[]} keypoints
 * @returns {{kind: "in position"|"not in view"|"out of position"|"nobody", reason: string}}
 */
export function check(position, keypoints) {
  const seen = seenPoints(keypoints, position.min_score);
  const found = keypoints.filter((k) => k.score >= position.min_score).length;
  if (found < position.min_seen) {
    return { kind: "nobody", reason: `${found} keypoints seen (at least ${position.min_seen} make a person)` };
  }
  let best = null;
  const missing = new Set();
  for (const [near, far] of [["left", "right"], ["right", "left"]]) {
    const got = measures(seen, near, far);
    for (const angles of position.poses) {
      const lacking = angles.map((a) => a.measure).filter((m) => !(m in got));
      if (lacking.length) {
        lacking.forEach((m) => missing.add(m));
        continue;
      }
      const fit = worst(angles, got);
      if (best === null || fit[0] < best[0]) best = fit;
    }
  }
  if (best === null) return { kind: "not in view", reason: `cannot measure: ${[...missing].sort().join(", ")}` };
  return { kind: best[0] <= 0 ? "in position" : "out of position", reason: best[1] };
}

// --- when to pause (pure: handed the time) ------------------------------------------------

/** Out of position for this long pauses the hold. */
export const GRACE_MS = 2000;
/** A status shows once a frame's verdict has held for this long (a steady status line). */
const STEADY_MS = 600;

/**
 * Follows the verdicts during a hold: pauses it after GRACE_MS out of position, resumes it at
 * the first frame back, and adds up the time seen in position while the hold counted.
 */
export class HoldWatch {
  constructor() {
    this.paused = false;
    this.outSince = null;
    this.last = null;
    this.heldMs = 0;
  }

  /**
   * One frame's verdict at time t (ms); `counting`: a hold is running or paused by the camera.
   * Returns "pause", "resume" or null.
   */
  see(kind, t, counting) {
    const wasIn = this.last !== null && this.last.kind === "in position" && this.last.counting && !this.paused;
    if (wasIn) this.heldMs += t - this.last.t;
    this.last = { kind, t, counting };
    if (!counting) {
      this.outSince = null;
      if (this.paused) {
        this.paused = false;
        return "resume";
      }
      return null;
    }
    if (kind === "in position") {
      this.outSince = null;
      if (this.paused) {
        this.paused = false;
        return "resume";
      }
      return null;
    }
    if (this.outSince === null) this.outSince = t;
    if (!this.paused && t - this.outSince >= GRACE_MS) {
      this.paused = true;
      return "pause";
    }
    return null;
  }
}

// --- the view --------------------------------------------------------------------------------

const BONES = [
  ["left_shoulder", "right_shoulder"],
  ["left_hip", "right_hip"],
  ...["left", "right"].flatMap((s) => [
    [`${s}_shoulder`, `${s}_elbow`],
    [`${s}_elbow`, `${s}_wrist`],
    [`${s}_shoulder`, `${s}_hip`],
    [`${s}_hip`, `${s}_knee`],
    [`${s}_knee`, `${s}_ankle`],
  ]),
];
const FRAME_MS = 200; // at most five frames a second: the model shares the device's CPU
const snake = (part) => part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The pose library, loaded once per page from the files Python sent (Blob URLs). */
let human = null;

/**
 * Import @vladmandic/human from its Blob URL and point it at the model and wasm files in
 * memory (a tfjs load router and a map of wasm Blob URLs): nothing is fetched off the page.
 * @param {Record<string, ArrayBuffer>} files
 */
async function loadHuman(files) {
  if (human) return human;
  const url = (name, type) => URL.createObjectURL(new Blob([files[name]], { type }));
  const { Human } = await import(url("human.esm.js", "text/javascript"));
  const wasm = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];
  const json = JSON.parse(new TextDecoder().decode(files["movenet-lightning.json"]));
  const h = new Human({
    backend: "wasm",
    wasmPath: Object.fromEntries(wasm.map((n) => [n, url(n, "application/wasm")])),
    modelBasePath: "stretchkit-pose://",
    cacheModels: false,
    warmup: "none",
    debug: false,
    face: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    body: { enabled: true, modelPath: "movenet-lightning.json", maxDetected: 1 },
  });
  h.tf.io.registerLoadRouter((path) =>
    typeof path === "string" && path.startsWith("stretchkit-pose://")
      ? h.tf.io.fromMemory({
          modelTopology: json.modelTopology,
          weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
          weightData: files["movenet-lightning.bin"],
          format: json.format,
          generatedBy: json.generatedBy,
          convertedBy: json.convertedBy,
          signature: json.signature,
          userDefinedMetadata: json.userDefinedMetadata,
        })
      : null,
  );
  await h.load();
  human = h;
  return h;
}

/**
 * The page's base URL: JupyterLite's (its `jupyter-config-data` baseUrl, which config-utils.js
 * makes the site root's path), so a site works at any folder of a static host.
 */
export function siteBase(doc = document) {
  const here = doc.baseURI;
  try {
    const config = JSON.parse(doc.getElementById("jupyter-config-data")?.textContent || "{}");
    if (typeof config.baseUrl === "string") return new URL(config.baseUrl, here).href;
  } catch {
    // no config on this page: the page's own address
  }
  return new URL("./", here).href;
}

/** Fetch the named files from `folder` (relative to the site's base) on the page's own host. */
async function fetchFiles(folder, names) {
  const base = new URL(folder, siteBase());
  if (base.origin !== window.location.origin) throw new Error(`not this host: ${base.href}`);
  const got = await Promise.all(
    names.map(async (name) => {
      const response = await fetch(new URL(name, base));
      if (!response.ok) throw new Error(`${response.status} ${response.url}`);
      return [name, await response.arrayBuffer()];
    }),
  );
  return Object.fromEntries(got);
}

/**
 * Ask Python for the model's files; resolves to them by name, or null when they are missing.
 * Python sends them ("files"), or in the static site says where on the site they are ("fetch").
 */
function requestFiles(model) {
  return new Promise((resolve) => {
    const onMsg = (msg, buffers) => {
      if (!["files", "fetch", "missing"].includes(msg?.type)) return;
      model.off("msg:custom", onMsg);
      if (msg.type === "missing") return resolve(null);
      if (msg.type === "fetch") {
        return fetchFiles(msg.base, msg.names).then(resolve, (error) => {
          console.warn("camera check:", error);
          resolve(null);
        });
      }
      const files = {};
      msg.names.forEach((name, i) => {
        const b = buffers[i];
        files[name] = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
      });
      resolve(files);
    };
    model.on("msg:custom", onMsg);
    model.send({ type: "files" });
  });
}

function build(el, words) {
  const root = document.createElement("section");
  root.className = "sk-camera";
  root.setAttribute("aria-label", "Camera check");
  root.innerHTML = `
    <p class="sk-camera-intro"></p>
    <button type="button" class="sk-camera-toggle" aria-pressed="false"></button>
    <div class="sk-camera-preview" hidden>
      <video muted playsinline></video>
      <canvas></canvas>
    </div>
    <p class="sk-camera-status" role="status" aria-live="polite"></p>
    <p class="sk-camera-held"></p>`;
  el.appendChild(root);
  const q = (s) => root.querySelector(s);
  const ui = {
    intro: q(".sk-camera-intro"),
    toggle: q(".sk-camera-toggle"),
    preview: q(".sk-camera-preview"),
    video: q("video"),
    canvas: q("canvas"),
    status: q(".sk-camera-status"),
    held: q(".sk-camera-held"),
  };
  ui.intro.textContent = `${words.intro} ${words.place}`;
  ui.toggle.textContent = words.start;
  ui.canvas.setAttribute("role", "img");
  ui.canvas.setAttribute("aria-label", words.preview);
  return { root, ui };
}

function say(view, text) {
  if (view.ui.status.textContent !== text) view.ui.status.textContent = text;
}

function speak(view, text) {
  if (!view.model.get("speech") || typeof speechSynthesis === "undefined") return;
  speechSynthesis.cancel();
  speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

/**
 * The stretch the current phase belongs to (its `technique`, the stretch's name); a phase of
 * none (a rest between stretches) belongs to the next one, which the learner gets ready for.
 */
export function stretchAt(phases, index) {
  for (let i = Math.max(0, index); i < phases.length; i += 1) if (phases[i]?.technique) return phases[i].technique;
  return "";
}

/**
 * The position to check now: with `positions` (a timer playing several stretches), the current
 * stretch's, or null when the check does not follow it; else the check's one `position`.
 * @returns {Position | null}
 */
export function positionNow(model) {
  const positions = model.get("positions") || {};
  if (!Object.keys(positions).length) return model.get("position");
  return positions[stretchAt(model.get("phases"), model.get("phase_index"))] ?? null;
}

/** Whether the timer is in a hold that counts (running, or paused by this check) of a stretch it follows. */
function counting(view) {
  const phase = view.model.get("phases")[view.model.get("phase_index")];
  const state = view.model.get("timer_state");
  const inHold = phase?.kind === "hold" && (state === "running" || (state === "paused" && view.watch.paused));
  return inHold && positionNow(view.model) !== null;
}

/**
 * One verdict to the hold watch, the time it adds to the stretch seen at the last verdict
 * (`view.heldBy`, by stretch name: what the journal keeps).
 */
function watchSee(view, kind, t) {
  const before = view.watch.heldMs;
  const act = view.watch.see(kind, t, counting(view));
  const added = view.watch.heldMs - before;
  if (added > 0 && view.lastStretch) view.heldBy[view.lastStretch] = (view.heldBy[view.lastStretch] ?? 0) + added;
  view.lastStretch = stretchAt(view.model.get("phases"), view.model.get("phase_index"));
  // A hold watched with the camera on is kept, even at 0 s in view; one without it is not.
  if (view.stream && counting(view)) view.heldBy[view.lastStretch] ??= 0;
  return act;
}

function drawSkeleton({ ui }, keypoints, kind) {
  const { canvas, video } = ui;
  canvas.width = video.videoWidth || 320;
  canvas.height = video.videoHeight || 240;
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  const at = Object.fromEntries(keypoints.filter((k) => k.score >= 0.3).map((k) => [k.name, k]));
  const style = getComputedStyle(ui.preview);
  g.strokeStyle = style.getPropertyValue(kind === "in position" ? "--sk-camera-in" : "--sk-camera-out").trim() || "#0a0";
  g.fillStyle = g.strokeStyle;
  g.lineWidth = Math.max(3, canvas.width / 80);
  g.setLineDash(kind === "in position" ? [] : [8, 6]); // not by colour alone
  for (const [a, b] of BONES) {
    if (!at[a] || !at[b]) continue;
    g.beginPath();
    g.moveTo(at[a].x, at[a].y);
    g.lineTo(at[b].x, at[b].y);
    g.stroke();
  }
  for (const k of Object.values(at)) {
    g.beginPath();
    g.arc(k.x, k.y, g.lineWidth * 1.2, 0, 2 * Math.PI);
    g.fill();
  }
}

/** The status line for a verdict: its words, and that the hold is paused when it is. */
function statusFor(view, kind) {
  const words = view.model.get("words");
  const text = words[kind];
  return view.watch.paused && kind !== "in position" ? `${text}: ${words.paused}` : text;
}

/** The "Held N s in view" line; `save`: tell Python too (at phase changes and when stopping). */
function showHeld(view, save) {
  const n = Math.round(view.watch.heldMs / 1000);
  const text = view.model.get("words").held.replace("{n}", String(n));
  if (view.ui.held.textContent !== text) view.ui.held.textContent = text;
  if (!save) return;
  const byStretch = Object.fromEntries(Object.entries(view.heldBy).map(([k, ms]) => [k, Math.round(ms / 1000)]));
  const changed = view.model.get("held_in_view") !== n || JSON.stringify(view.model.get("held_by_stretch")) !== JSON.stringify(byStretch);
  if (changed) {
    view.model.set("held_in_view", n);
    view.model.set("held_by_stretch", byStretch);
    view.model.save_changes();
  }
}

/** One frame: find the body, judge it, draw it, pause or resume the hold, update the status. */
async function frame(view) {
  const { model, ui } = view;
  const result = await human.detect(ui.video);
  if (!view.stream) return;
  const body = result.body?.[0];
  const keypoints = (body?.keypoints ?? []).map((k) => ({
    name: snake(k.part),
    x: k.position[0],
    y: k.position[1],
    score: k.score,
  }));
  const position = positionNow(model);
  const verdict = position ? check(position, keypoints) : { kind: "not followed", reason: "not this stretch" };
  const t = performance.now();
  const act = watchSee(view, verdict.kind, t);
  if (act === "pause" || act === "resume") {
    model.set("hold_paused", act === "pause");
    model.save_changes();
    speak(view, act === "pause" ? statusFor(view, verdict.kind) : model.get("words")["in position"]);
  }
  drawSkeleton(view, keypoints, verdict.kind);
  showHeld(view, false);
  // What the model found, for tests and the curious: only keypoints, never the picture.
  Object.assign(ui.preview.dataset, {
    kind: verdict.kind,
    reason: verdict.reason,
    found: String(keypoints.filter((k) => k.score >= 0.3).length),
    keypoints: JSON.stringify(keypoints),
  });
  if (verdict.kind !== view.shown.kind) view.shown = { kind: verdict.kind, since: t };
  if (t - view.shown.since >= STEADY_MS || act) say(view, statusFor(view, verdict.kind));
  view.frames += 1;
  ui.preview.dataset.frames = String(view.frames);
}

function loop(view) {
  if (!view.stream) return;
  const started = performance.now();
  frame(view)
    .catch((error) => console.warn("camera check:", error))
    .finally(() => {
      if (!view.stream) return;
      const wait = Math.max(0, FRAME_MS - (performance.now() - started));
      view.loopTimer = setTimeout(() => loop(view), wait);
    });
}

function stop(view, line) {
  clearTimeout(view.loopTimer);
  if (view.stream) for (const track of view.stream.getTracks()) track.stop();
  view.stream = null;
  view.ui.video.srcObject = null;
  view.ui.preview.hidden = true;
  view.ui.toggle.textContent = view.model.get("words").start;
  view.ui.toggle.setAttribute("aria-pressed", "false");
  showHeld(view, true);
  if (view.watch.paused) {
    view.watch.paused = false;
    view.model.set("hold_paused", false);
    view.model.save_changes();
  }
  if (line) say(view, view.model.get("words")[line]);
}

/** Why the camera cannot start here, as a WORDS key, or "" when it can try. */
function unavailable() {
  if (!window.isSecureContext) return "insecure";
  if (!navigator.mediaDevices?.getUserMedia) return "no camera";
  return "";
}

async function startCamera(view) {
  const { model, ui } = view;
  const why = unavailable();
  if (why) return say(view, model.get("words")[why]);
  ui.toggle.disabled = true;
  say(view, model.get("words").loading);
  try {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: false });
    } catch (error) {
      return say(view, model.get("words")[error?.name === "NotAllowedError" ? "refused" : "no camera"]);
    }
    view.stream = stream;
    const files = human ? {} : await requestFiles(model);
    if (!files) return stop(view, "no model");
    try {
      await loadHuman(files);
    } catch (error) {
      console.warn("camera check:", error);
      return stop(view, "failed");
    }
    if (!view.stream) return;
    ui.video.srcObject = stream;
    await ui.video.play();
    ui.preview.hidden = false;
    ui.toggle.textContent = model.get("words").stop;
    ui.toggle.setAttribute("aria-pressed", "true");
    loop(view);
  } finally {
    ui.toggle.disabled = false;
  }
}

function render({ model, el }) {
  const words = model.get("words");
  const { root, ui } = build(el, words);
  const view = {
    model,
    root,
    ui,
    stream: null,
    watch: new HoldWatch(),
    loopTimer: null,
    frames: 0,
    shown: { kind: "", since: 0 },
    heldBy: {},
    lastStretch: "",
  };
  const showIntro = () => {
    ui.intro.textContent = `${model.get("intro") || words.intro} ${words.place}`;
  };
  showIntro();
  if (model.get("not_followed")) {
    ui.intro.textContent = model.get("not_followed");
    ui.toggle.hidden = true;
    return () => root.remove();
  }
  const onToggle = () => (view.stream ? stop(view, "off") : startCamera(view));
  const onPhase = () => {
    const act = watchSee(view, view.watch.last?.kind ?? "nobody", performance.now());
    if (act === "resume") {
      model.set("hold_paused", false);
      model.save_changes();
    }
    if (view.watch.last) showHeld(view, true);
  };
  // A new run of the timer (started from idle or done) starts its own seconds by stretch.
  let lastState = model.get("timer_state");
  const onState = () => {
    const state = model.get("timer_state");
    if (state === "running" && (lastState === "idle" || lastState === "done")) view.heldBy = {};
    lastState = state;
  };
  ui.toggle.addEventListener("click", onToggle);
  model.on("change:phase_index", onPhase);
  model.on("change:timer_state", onState);
  model.on("change:intro", showIntro);
  return () => {
    stop(view, "");
    ui.toggle.removeEventListener("click", onToggle);
    model.off("change:phase_index", onPhase);
    model.off("change:timer_state", onState);
    model.off("change:intro", showIntro);
    root.remove();
  };
}

export default { render };
