/* A playlist wall's progress bar: how long the screen on show stays, drawn from the server's clock.
 *
 * The server pushes, on #wall, when the item came on screen (`data-item-start`, Unix ms, server
 * clock), how long it stays (`data-item-ms`) and, while paused, how far it got (`data-elapsed-ms`).
 * The switch itself is the server's (all walls of a playlist agree); this file only fills the bar.
 * The server's clock is estimated from the per-second `data-tick`: the largest (tick - local time)
 * of the last ticks, since seeing a tick late only makes that difference smaller.
 */
(function () {
  "use strict";
  var EVERY_MS = 200;
  var KEEP = 10;
  var offsets = [];
  var lastTick = null;
  var lastPct = 0;

  function serverOffset(wall) {
    var tick = wall.getAttribute("data-tick");
    if (tick && tick !== lastTick) {
      lastTick = tick;
      var t = Date.parse(tick);
      if (!isNaN(t)) {
        offsets.push(t - Date.now());
        if (offsets.length > KEEP) { offsets.shift(); }
      }
    }
    return offsets.length ? Math.max.apply(null, offsets) : 0;
  }

  setInterval(function () {
    var wall = document.getElementById("wall");
    var bar = document.getElementById("wall-playlist-bar");
    if (!wall || !bar) { return; }
    var offset = serverOffset(wall);
    var total = parseFloat(wall.getAttribute("data-item-ms") || "0");
    var start = wall.getAttribute("data-item-start");
    var elapsed = start ? Date.now() + offset - parseFloat(start) : parseFloat(wall.getAttribute("data-elapsed-ms") || "0");
    var pct = total > 0 ? Math.max(0, Math.min(100, 100 * elapsed / total)) : 0;
    // Glide forward; jump back at a switch (no backwards sweep).
    bar.style.transition = pct < lastPct ? "none" : "width " + EVERY_MS + "ms linear";
    bar.style.width = pct.toFixed(2) + "%";
    lastPct = pct;
  }, EVERY_MS);
})();
