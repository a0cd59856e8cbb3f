/* Camera grid tiles on a wall page (dashboard/tiles/camera_grid.py builds them, Dash pushes states).
 *
 * Wires every `.tile-camera_grid` once it is on the page: a WHEP player (whep-client.js) per cell
 * on the camera's substream from this page's own origin, playing only while the cell is on screen;
 * one page of cameras at a time, the next every `data-rotate` seconds; a click on a cell shows its
 * main stream full screen, another click (or Escape) brings it back to the substream in the grid.
 * The server owns the camera's state (data-state, badge, snapshot address, age); this file only marks
 * the video element's own state (data-player) and shows the snapshot until frames are decoded.
 * Each cell keeps its player as `cell.cctvPlayer` (tests and benchmarks read its getStats()).
 */
(function () {
  "use strict";
  const WIRE_EVERY_MS = 500;  // Dash renders the wall after load: look for new grids this often

  function whepUrl(cameraId, variant) {
    return new URL("/whep/" + encodeURIComponent(cameraId) + "?stream=" + variant, window.location.href).href;
  }

  function showPage(grid, index) {
    const pages = grid.querySelectorAll(".cam-page");
    pages.forEach((page, i) => { page.hidden = i !== index; });
    const number = grid.querySelector(".cam-page-number");
    if (number) number.textContent = pages.length > 1 ? (index + 1) + " / " + pages.length : "";
    grid.dataset.currentPage = String(index);
  }

  function setFull(cell, full) {
    cell.dataset.full = full ? "true" : "false";
    cell.cctvPlayer.setUrl(whepUrl(cell.dataset.camera, full ? "main" : "sub"));
  }

  function wireCell(cell) {
    const video = cell.querySelector("video");
    const snapshot = window.cctvSnapshotUnderVideo(cell.querySelector(".cam-snapshot"), video);
    const player = new window.CctvWhepPlayer(video, whepUrl(cell.dataset.camera, "sub"),
                                             {onState: (state) => { video.dataset.player = state; snapshot(); }});
    cell.cctvPlayer = player;
    cell.dataset.full = "false";
    cell.addEventListener("click", () => {
      const grid = cell.closest(".tile-camera_grid");
      grid.querySelectorAll('.cam-cell[data-full="true"]').forEach((other) => { if (other !== cell) setFull(other, false); });
      setFull(cell, cell.dataset.full !== "true");
    });
    window.cctvPlayWhileVisible(cell, player);
  }

  function wireGrid(grid) {
    grid.dataset.wired = "true";
    grid.querySelectorAll(".cam-cell").forEach(wireCell);
    const pages = grid.querySelectorAll(".cam-page").length;
    let current = 0;
    showPage(grid, current);
    const every = parseFloat(grid.dataset.rotate || "0") * 1000;
    if (every > 0 && pages > 1) {
      setInterval(() => {
        // An operator watching one camera full screen keeps it: rotation waits.
        if (document.hidden || grid.querySelector('.cam-cell[data-full="true"]')) return;
        current = (current + 1) % pages;
        showPage(grid, current);
      }, every);
    }
  }

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    document.querySelectorAll('.cam-cell[data-full="true"]').forEach((cell) => setFull(cell, false));
  });

  // Look until the wall is on the page, wire its grids once, then stop looking: a wall is built once.
  const looking = setInterval(() => {
    if (!window.CctvWhepPlayer || !document.getElementById("wall")) return;
    clearInterval(looking);
    document.querySelectorAll('.tile-camera_grid:not([data-wired="true"])').forEach(wireGrid);
  }, WIRE_EVERY_MS);
})();
