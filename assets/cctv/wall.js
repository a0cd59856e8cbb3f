/* A camera wall in any page: a grid of tiles, each a WHEP player on the camera's substream.
 *
 *   cctvWall(container, {gateway: "http://127.0.0.1:8889", cameras: ["cam1", ...], columns: 2,
 *                        lang: "id"});
 *
 * Each tile shows the camera name, its state (OFFLINE / STALLED in large letters) and, while it
 * connects or is down, the last snapshot with its age. A click shows the main stream full screen;
 * another click goes back to the substream in the grid. Tiles carry data-tile="camera:<id>" and
 * data-state, for screens and tests alike.
 */
(function () {
  "use strict";
  const TEXT = {
    id: {offline: "OFFLINE", stalled: "TERHENTI", connecting: "MENYAMBUNG", ago: "detik lalu"},
    en: {offline: "OFFLINE", stalled: "STALLED", connecting: "CONNECTING", ago: "s ago"},
  };
  const POLL_MS = 1000;

  function el(tag, cls, parent) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }

  function cctvWall(container, options) {
    const text = TEXT[options.lang || "id"] || TEXT.id;
    const gateway = options.gateway.replace(/\/$/, "");
    container.classList.add("cctv-wall");
    container.style.gridTemplateColumns = "repeat(" + (options.columns || 2) + ", 1fr)";
    const tiles = {};

    options.cameras.forEach((id) => {
      const tile = el("div", "cctv-tile", container);
      tile.dataset.tile = "camera:" + id;
      tile.dataset.camera = id;
      tile.dataset.state = "connecting";
      const snapshot = el("img", "cctv-snapshot", tile);
      const video = el("video", "cctv-video", tile);
      const name = el("div", "cctv-name", tile);
      const badge = el("div", "cctv-badge", tile);
      const age = el("div", "cctv-age", tile);
      name.textContent = id;
      const t = tiles[id] = {tile, video, snapshot, badge, age, name, gatewayState: "connecting",
                             playerState: "connecting", snapshotAt: 0, full: false};
      const urlFor = (variant) => gateway + "/whep/" + encodeURIComponent(id) + "?stream=" + variant;
      t.player = new CctvWhepPlayer(video, urlFor("sub"), {onState: (s) => { t.playerState = s; render(t); }});
      tile.addEventListener("click", () => {
        t.full = !t.full;
        tile.classList.toggle("cctv-full", t.full);
        t.player.setUrl(urlFor(t.full ? "main" : "sub"));
      });
      cctvPlayWhileVisible(tile, t.player);
    });

    function render(t) {
      // The gateway knows the camera (offline, frozen); the player knows this screen's video.
      let state = t.gatewayState;
      if (state === "live" && t.playerState === "stalled") state = "stalled";
      if (state === "live" && t.playerState !== "live") state = "connecting";
      if (t.tile.dataset.state !== state) t.tile.dataset.state = state;
      const label = state === "live" ? "" : (text[state] || state.toUpperCase());
      if (t.badge.textContent !== label) t.badge.textContent = label;
      const showSnapshot = state !== "live" && t.snapshotAt > 0;
      t.snapshot.style.visibility = showSnapshot ? "visible" : "hidden";
      t.age.textContent = showSnapshot ? Math.max(0, Math.round(Date.now() / 1000 - t.snapshotAt)) + " " + text.ago : "";
    }

    async function poll() {
      try {
        const response = await fetch(gateway + "/cameras", {cache: "no-store"});
        const body = await response.json();
        body.cameras.forEach((c) => {
          const t = tiles[c.id];
          if (!t) return;
          t.name.textContent = c.name;
          t.gatewayState = c.state;
          const at = parseFloat(c.snapshot_at || "0");
          if (at && at !== t.snapshotAt && c.state !== "live") {
            t.snapshot.src = gateway + "/snapshot/" + encodeURIComponent(c.id) + "?t=" + at;
          }
          if (at) t.snapshotAt = at;
          render(t);
        });
      } catch (err) { /* the gateway is restarting: the players notice on their own */ }
    }
    poll();
    setInterval(poll, POLL_MS);
    return tiles;
  }
  window.cctvWall = cctvWall;
})();
