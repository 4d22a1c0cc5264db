// A stand-in for anywidget's model, so a widget's ES module can be tested in a plain
// page: records what the widget saves and sends, and lets a test play "Python".
export class MockModel {
  constructor(state) {
    this.state = { ...state };
    this.listeners = new Map();
    this.saved = [];      // snapshots of state at each save_changes()
    this.sent = [];       // custom messages sent to Python
    this.dirty = {};
  }
  get(key) { return this.state[key]; }
  set(key, value) { this.state[key] = value; this.dirty[key] = value; this._emit(`change:${key}`, value); }
  save_changes() { this.saved.push({ ...this.dirty }); this.dirty = {}; }
  send(content, callbacks, buffers) { this.sent.push(content); }
  on(event, cb) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(cb);
  }
  off(event, cb) {
    if (!event) { this.listeners.clear(); return; }
    if (cb) this.listeners.get(event)?.delete(cb); else this.listeners.delete(event);
  }
  listenerCount() { let n = 0; for (const s of this.listeners.values()) n += s.size; return n; }
  // Test hooks: what Python would do.
  fromPython(key, value) { this.state[key] = value; this._emit(`change:${key}`, value); this._emit("change", value); }
  message(content) { this._emit("msg:custom", content, []); }
  _emit(event, ...args) { for (const cb of this.listeners.get(event) ?? []) cb(...args); }
}
