/* Kiosk walls (`?kiosk=1`, class `is-kiosk` on #wall): nobody sits at a wall PC, so a stray right
 * click or drag must not leave a menu or a selection on the big screen. The cursor and scrollbars
 * are hidden by wall.css. */
(function () {
  "use strict";
  function kiosk() { return !!document.querySelector(".wall.is-kiosk"); }
  document.addEventListener("contextmenu", function (event) { if (kiosk()) { event.preventDefault(); } });
  document.addEventListener("dragstart", function (event) { if (kiosk()) { event.preventDefault(); } });
})();
