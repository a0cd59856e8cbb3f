/* The presenter's keys (/screen/meeting/presenter): → or PageDown for the next prepared view, ← or
 * PageUp for the previous one (a presentation clicker sends PageDown/PageUp). They press the page's
 * own Berikutnya/Sebelumnya buttons, so keys and taps take the same way to the server. */
(function () {
  "use strict";
  const NEXT = ["ArrowRight", "PageDown"];
  const PREV = ["ArrowLeft", "PageUp"];

  document.addEventListener("keydown", (event) => {
    if (!document.getElementById("meet-controls") || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const forward = NEXT.includes(event.key);
    if (!forward && !PREV.includes(event.key)) return;
    const button = document.getElementById(forward ? "meet-next" : "meet-prev");
    event.preventDefault();
    if (button && !button.disabled) button.click();
  });
})();
