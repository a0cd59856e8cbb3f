/* Wall watchdog: a wall at 3 a.m. must come back by itself.
 *
 * The server pushes `data-tick` on #wall every second. When ticks stop:
 *   after  5 s  the header's LIVE mark turns red (DISCONNECTED);
 *   after 15 s  restore: Dash reconnects its WebSocket (and restarts the page's persistent
 *               callback) when the tab turns visible; its own client stops after ~10 tries;
 *   after 30 s  reload the page, but only once GET /healthz answers (the server is back),
 *               waiting longer after each reload that did not help.
 *
 * It also reloads a wall, at once, when the server pushes a `data-build` (a new deployment) or a
 * `data-layout` (its layout file was edited) other than the one the page was loaded with: the
 * page then comes back with the new code or screen. At most one such reload every 5 s, so a
 * server that keeps disagreeing cannot make a wall flicker.
 *
 * `window.CC_WATCHDOG = {restoreMs: ..., reloadMs: ...}`, set before this file runs, changes the
 * waits (the tests use short ones).
 */
(function () {
  "use strict";
  var opts = window.CC_WATCHDOG || {};
  var LOST_MS = opts.lostMs || 5000;
  var RESTORE_MS = opts.restoreMs || 15000;
  var RELOAD_MS = opts.reloadMs || 30000;
  var MAX_RELOAD_MS = opts.maxReloadMs || 10 * 60 * 1000;
  var HEALTH_RETRY_MS = opts.healthRetryMs || 5000;
  var HEALTH_TIMEOUT_MS = opts.healthTimeoutMs || 4000;
  var KEY = "cc-wall-reloads";
  var VERSION_KEY = "cc-wall-version-reload";
  var VERSION_GAP_MS = opts.versionGapMs || 5000;

  var lastTick = null;
  var lastChange = Date.now();
  var restored = false;
  var reloading = false;
  var ticksSeen = 0;
  var loaded = null;  // the wall element, and the build and layout it was loaded with

  function versionReload() {
    var now = Date.now();
    var last = 0;
    try { last = parseInt(sessionStorage.getItem(VERSION_KEY) || "0", 10) || 0; } catch (e) { /* private mode */ }
    if (now - last < VERSION_GAP_MS) { return; }
    try { sessionStorage.setItem(VERSION_KEY, String(now)); } catch (e) { /* private mode */ }
    reloading = true;
    window.location.reload();
  }

  function checkVersions(wall) {
    var build = wall.getAttribute("data-build") || "";
    var layout = wall.getAttribute("data-layout") || "";
    if (!loaded || loaded.wall !== wall) {
      loaded = {wall: wall, build: build, layout: layout};
      return;
    }
    if ((loaded.build && build && build !== loaded.build) || (loaded.layout && layout && layout !== loaded.layout)) {
      versionReload();
    }
  }

  function reloads() {
    try { return parseInt(sessionStorage.getItem(KEY) || "0", 10) || 0; } catch (e) { return 0; }
  }
  function setReloads(n) {
    try { sessionStorage.setItem(KEY, String(n)); } catch (e) { /* private mode: no backoff */ }
  }

  function restore() {
    document.dispatchEvent(new Event("visibilitychange"));
  }

  function reloadWhenServerAnswers() {
    if (reloading) { return; }
    reloading = true;
    var attempt = function () {
      // A server that accepts but never answers (half started) must not stall us forever.
      var ctrl = window.AbortController ? new AbortController() : null;
      var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, HEALTH_TIMEOUT_MS) : null;
      fetch("/healthz", { cache: "no-store", signal: ctrl ? ctrl.signal : undefined })
        .then(function () { clearTimeout(timer); setReloads(reloads() + 1); window.location.reload(); })
        .catch(function () { clearTimeout(timer); setTimeout(attempt, HEALTH_RETRY_MS); });
    };
    attempt();
  }

  setInterval(function () {
    var wall = document.getElementById("wall");
    var now = Date.now();
    if (!wall) { lastChange = now; return; }
    checkVersions(wall);
    var tick = wall.getAttribute("data-tick");
    if (tick !== lastTick) {
      lastTick = tick;
      lastChange = now;
      restored = false;
      ticksSeen += 1;
      if (ticksSeen === 60) { setReloads(0); }  // a minute of ticks: the next stall starts from the short wait
    }
    var silent = now - lastChange;
    var indicator = document.getElementById("live-indicator");
    if (indicator) { indicator.classList.toggle("is-lost", silent > LOST_MS); }
    wall.setAttribute("data-silent-s", String(Math.floor(silent / 1000)));
    if (silent > RESTORE_MS && !restored) {
      restored = true;
      restore();
    }
    var wait = Math.min(RELOAD_MS * Math.pow(2, reloads()), MAX_RELOAD_MS);
    if (silent > wait) { reloadWhenServerAnswers(); }
  }, 1000);
})();
