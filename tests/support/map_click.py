"""Clicking a kab/kota on a page's map in a browser test: Plotly axes turn lon/lat into pixels."""

from __future__ import annotations

from dashboard.tiles.map import load_geometry

WAIT = 15_000


def click_region(page, config, code: str, map_id: str = "app-map") -> None:
    """Click the map `#<map_id>` where the kab/kota's label is."""
    region = next(r for r in load_geometry(config).regions if r.code == code)
    plot = f"#{map_id} .js-plotly-plot"
    page.wait_for_function("(sel) => { const gd = document.querySelector(sel);"
                           " return gd && gd._fullLayout && gd._fullLayout.xaxis; }", arg=plot, timeout=WAIT)
    x, y = page.evaluate(
        """([sel, lon, lat]) => { const gd = document.querySelector(sel);
             const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
             return [box.left + xa._offset + xa.l2p(lon), box.top + ya._offset + ya.l2p(lat)]; }""",
        [plot, region.label_x, region.label_y])
    page.mouse.move(x, y)
    page.mouse.click(x, y)
