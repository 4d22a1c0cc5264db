// The camera check: an opt-in, private check that the learner is in a stretch's position.
//
// The pose model (MoveNet Lightning, run by @vladmandic/human on TensorFlow.js's wasm
// backend) and its files come from the course's own package, sent by Python over the
// widget's channel on the first click and imported from Blob URLs: nothing is fetched from
// anywhere, and no frame leaves the browser. `check` mirrors stretchkit/posecheck.py's
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
