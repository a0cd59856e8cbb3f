"""In-page probes for playlist walls, shared by the browser tests and the screen-switch benchmark.

`SWITCH_PROBE` watches `#wall`: on every change of the item shown it records which screen, when
the server meant the switch to happen (the previous `data-switch-at`, Unix ms on the server's
clock, which is this machine's in tests), when the page marked it, and when the new screen was
fully drawn: its section shown, every headline value filled and every map's plot sized to its
tile, checked on each animation frame. Results land in `window.__switches`.
"""

from __future__ import annotations

SWITCH_PROBE = """() => {
  const wall = document.getElementById('wall');
  window.__switches = [];
  let due = parseFloat(wall.dataset.switchAt || 'NaN');
  let index = wall.dataset.index;
  const drawn = (screen) => {
    const section = [...wall.querySelectorAll(':scope > .wall-grid')].find(s => !s.hidden);
    if (!section || section.dataset.screen !== screen || section.offsetParent === null) return false;
    const values = [...section.querySelectorAll('.tile-metric .tile-value')];
    if (values.some(v => !v.getAttribute('data-value'))) return false;
    return [...section.querySelectorAll('.map-graph')].every(g => {
      const svg = g.querySelector('.main-svg');
      return svg && Math.abs(parseFloat(svg.getAttribute('width')) - g.clientWidth) <= 2
        && g.querySelectorAll('.textpoint text').length > 0;
    });
  };
  new MutationObserver(() => {
    if (wall.dataset.index === index) { due = parseFloat(wall.dataset.switchAt || 'NaN'); return; }
    index = wall.dataset.index;
    const entry = {screen: wall.dataset.screen, index: +index, due: due, marked: Date.now(), drawn: null,
                   paused: wall.dataset.paused === 'true'};
    window.__switches.push(entry);
    if (window.__switches.length > 500) window.__switches.shift();
    due = parseFloat(wall.dataset.switchAt || 'NaN');
    const look = () => { if (drawn(entry.screen)) entry.drawn = Date.now(); else requestAnimationFrame(look); };
    look();
  }).observe(wall, {attributes: true, attributeFilter: ['data-index', 'data-switch-at']});
}"""


def visible_screen(page) -> str | None:
    """The screen name of the section on show."""
    return page.evaluate("""() => { const s = [...document.querySelectorAll('#wall > .wall-grid')]
                                         .find(s => !s.hidden && s.offsetParent !== null);
                                    return s ? s.dataset.screen : null; }""")
