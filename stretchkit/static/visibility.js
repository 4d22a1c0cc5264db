// Tells Python each time the page is shown again (the learner comes back to this tab), so a
// view can read again what another tab or notebook changed meanwhile. It draws nothing.
function render({ model }) {
  const shown = () => {
    if (document.visibilityState === "visible") model.send({ event: "visible" });
  };
  document.addEventListener("visibilitychange", shown);
  return () => document.removeEventListener("visibilitychange", shown);
}
export default { render };
