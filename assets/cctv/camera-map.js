/* The camera layer of map tiles (`cameras: true` in dashboard/tiles/map.py): hovering or clicking a
 * camera dot shows its latest snapshot and the picture's age in the tile's peek box.
 * Plotly's own hover/click events; nothing goes back to the server but the snapshot request.
 */
(function () {
  "use strict";
  const WIRE_EVERY_MS = 500;  // the map is drawn after Dash renders the wall
  const AGO = {id: (s) => (s < 5 ? "baru saja" : s < 60 ? s + " dtk lalu" : Math.floor(s / 60) + " mnt lalu"),
               en: (s) => (s < 5 ? "just now" : s < 60 ? s + " s ago" : Math.floor(s / 60) + " min ago")};
  const NONE = {id: "belum ada gambar", en: "no picture yet"};

  async function peek(tile, point) {
    const box = tile.querySelector(".map-camera-peek");
    const lang = box.dataset.lang === "en" ? "en" : "id";
    const cameraId = point.customdata;
    box.dataset.camera = cameraId;
    box.classList.add("is-open");
    const caption = box.querySelector(".map-camera-caption");
    const img = box.querySelector("img");
    try {
      const response = await fetch("/snapshot/" + encodeURIComponent(cameraId), {cache: "no-store"});
      // Read it in every case: Chromium keeps a request whose body nobody reads pending for good.
      const picture = await response.blob();
      if (box.dataset.camera !== cameraId) return;  // the pointer moved on meanwhile
      if (!response.ok) throw new Error(String(response.status));
      const taken = Date.parse(response.headers.get("X-Snapshot-At") || "");
      if (img.dataset.url) URL.revokeObjectURL(img.dataset.url);
      img.dataset.url = img.src = URL.createObjectURL(picture);
      const age = isNaN(taken) ? "" : " · " + AGO[lang](Math.max(0, Math.round((Date.now() - taken) / 1000)));
      caption.textContent = point.text + age;
    } catch (err) {
      img.removeAttribute("src");
      caption.textContent = point.text + " · " + NONE[lang];
    }
  }

  function wire(tile) {
    const plot = tile.querySelector(".js-plotly-plot");
    if (!plot || !plot.on) return;
    tile.dataset.camerasWired = "true";
    const handler = (event) => {
      const point = event.points.find((p) => p.data.name === "cameras");
      if (point) peek(tile, point);
    };
    plot.on("plotly_hover", handler);
    plot.on("plotly_click", handler);
  }

  // Until the wall is on the page and each camera map has its plot: a wall is built once.
  const looking = setInterval(() => {
    if (!document.getElementById("wall")) return;
    document.querySelectorAll('.tile-map[data-cameras="true"]:not([data-cameras-wired="true"])').forEach(wire);
    if (!document.querySelector('.tile-map[data-cameras="true"]:not([data-cameras-wired="true"])')) {
      clearInterval(looking);
    }
  }, WIRE_EVERY_MS);
})();
