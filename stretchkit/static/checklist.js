// Lesson 07's checklist: native check boxes with labels, one fieldset per habit.
function render({ model, el }) {
  const root = document.createElement("section");
  root.className = "sk-checklist";
  const heading = document.createElement("h3");
  heading.className = "sk-checklist-title";
  heading.id = `sk-checklist-${Math.random().toString(36).slice(2)}`;
  root.setAttribute("aria-labelledby", heading.id);
  root.append(heading);
  const body = document.createElement("div");
  root.append(body);
  const boxes = new Map();

  function save() {
    model.set("checked", [...boxes].filter(([, box]) => box.checked).map(([id]) => id));
    model.save_changes();
  }

  function build() {
    heading.textContent = model.get("title") || "Checklist";
    body.replaceChildren();
    boxes.clear();
    for (const group of model.get("groups") || []) {
      const set = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = group.title;
      set.append(legend);
      for (const item of group.items || []) {
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.value = item.id;
        // JupyterLab: Space ticks the box rather than being a notebook shortcut.
        box.dataset.lmSuppressShortcuts = "true";
        box.addEventListener("change", save);
        const text = document.createElement("span");
        text.textContent = item.text;
        label.append(box, text);
        set.append(label);
        boxes.set(item.id, box);
      }
      body.append(set);
    }
    sync();
  }

  function sync() {
    const checked = new Set(model.get("checked") || []);
    for (const [id, box] of boxes) box.checked = checked.has(id);
  }

  model.on("change:groups", build);
  model.on("change:title", build);
  model.on("change:checked", sync);
  build();
  el.append(root);
  return () => {
    model.off("change:groups", build);
    model.off("change:title", build);
    model.off("change:checked", sync);
    root.remove();
  };
}
export default { render };
