/* The meeting room's camera tile (dashboard/meeting/stage.py): plays the chosen camera over WHEP
 * from this page's own origin (/whep/<camera>), with the player of assets/cctv/whep-client.js.
 *
 * The server only sets attributes on #meet-camera: data-camera (an id, never an address),
 * data-variant ("main" while the tile is spotlit, else "sub") and data-shown (whether the topic is
 * a camera). This file follows them: one player per page, pointed at the new camera when the
 * presenter picks another, stopped while no camera is shown. The player is `cell.cctvPlayer`.
 */
(function () {
  "use strict";
  const LOOK_EVERY_MS = 500;  // Dash renders the page after load, and may render it again
  let cell = null;
  let player = null;

  function whepUrl(cameraId, variant) {
    return new URL("/whep/" + encodeURIComponent(cameraId) + "?stream=" + variant, window.location.href).href;
  }

  function apply() {
    const camera = cell.dataset.camera;
    if (!camera || cell.dataset.shown !== "true" || document.hidden) {
      player.stop();
      return;
    }
    player.setUrl(whepUrl(camera, cell.dataset.variant === "main" ? "main" : "sub"));
    player.start();
  }

  function look() {
    const found = document.getElementById("meet-camera");
    if (!found || !window.CctvWhepPlayer || found === cell) return;
    if (player) player.stop();
    cell = found;
    const video = cell.querySelector("video");
    const snapshot = window.cctvSnapshotUnderVideo(cell.querySelector(".cam-snapshot"), video);
    player = new window.CctvWhepPlayer(video, "", {onState: (state) => { video.dataset.player = state; snapshot(); }});
    cell.cctvPlayer = player;
    new MutationObserver(apply).observe(cell, {attributes: true,
                                              attributeFilter: ["data-camera", "data-variant", "data-shown"]});
    apply();
  }

  document.addEventListener("visibilitychange", () => { if (cell) apply(); });
  setInterval(look, LOOK_EVERY_MS);
})();
