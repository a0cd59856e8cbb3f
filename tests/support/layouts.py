"""Layout files for the screen, playlist and reload tests: a good screen, a playlist, slow and quick
screens, and a config pointed at a folder of them."""

from __future__ import annotations

from pathlib import Path

GOOD = """\
title: Uji
grid: {columns: 4, rows: 2}
tiles:
  - {id: jam, kind: clock, col: 1, row: 1}
  - {id: beras, kind: metric, metric: harga_beras, col: 2, row: 1, width: 2}
  - {id: peta, kind: map, metric: harga_beras, col: 4, row: 1, height: 2}
  - {id: peringatan, kind: alerts, col: 1, row: 2, width: 3}
"""


def with_layouts(config, folder: Path):
    return config.model_copy(update={"dashboard": config.dashboard.model_copy(update={"layouts_dir": str(folder)})})


PLAYLIST = """\
kind: playlist
title: Putaran uji
items:
  - {screen: uji, seconds: 20}
  - {screen: uji-dua, seconds: 10, label: Dua}
"""


SCREEN_A = """\
title: Harga Pangan Uji
grid: {columns: 4, rows: 2}
tiles:
  - {id: peta, kind: map, metric: harga_beras, col: 1, row: 1, width: 2, height: 2}
  - {id: beras, kind: metric, metric: harga_beras, col: 3, row: 1, width: 2}
  - {id: jam, kind: clock, col: 3, row: 2, width: 2}
"""


SCREEN_B = """\
title: Pengaduan Uji
grid: {columns: 4, rows: 2}
tiles:
  - {id: pengaduan, kind: metric, metric: pengaduan_24j, col: 1, row: 1, width: 2}
  - {id: beras, kind: metric, metric: harga_beras, col: 3, row: 1, width: 2}
  - {id: peringatan, kind: alerts, applications: [e-pormas], col: 1, row: 2, width: 4}
"""


SLOW = """\
kind: playlist
title: Putaran lambat
items:
  - {screen: uji-a, seconds: 120, label: Harga}
  - {screen: uji-b, seconds: 120, label: Pengaduan}
  - {screen: uji-a, seconds: 120, label: Harga lagi}
"""
