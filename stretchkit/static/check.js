// Widget check: a button whose press is answered by the Python kernel.
function render({ model, el }) {
  const root = document.createElement("section");
  root.className = "sk-check";
  root.setAttribute("aria-label", "Widget check");
  const intro = document.createElement("p");
  intro.textContent = "Widgets are showing. Press Check to make sure the kernel answers too.";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Check";
  // JupyterLab: keys pressed on the button are not notebook shortcuts (Lumino matches the
  // focused element itself, so the marker must be on the button).
  button.dataset.lmSuppressShortcuts = "true";
  const status = document.createElement("p");
  status.setAttribute("role", "status");
  status.className = "sk-check-status";
  const show = () => { status.textContent = model.get("answer") || ""; };
  button.addEventListener("click", () => {
    status.textContent = "Waiting for the kernel…";
    model.set("presses", model.get("presses") + 1);
    model.save_changes();
  });
  model.on("change:answer", show);
  show();
  root.append(intro, button, status);
  el.append(root);
  return () => { model.off("change:answer", show); root.remove(); };
}
export default { render };
