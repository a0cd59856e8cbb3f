"""The meeting room's words (/screen/meeting and the presenter's controls)."""

from __future__ import annotations

from dashboard.text.words import Vocabulary, Words

WORDS = Vocabulary({
    "meet_title": Words(id="Ruang Rapat", en="Meeting Room"),
    "meet_presenter": Words(id="Pemandu", en="Presenter"),
    "meet_room": Words(id="Ruang {room}", en="Room {room}"),
    "meet_topic": Words(id="Topik", en="Topic"),
    "meet_region": Words(id="Wilayah", en="Region"),
    "meet_camera": Words(id="Kamera", en="Camera"),
    "meet_overview": Words(id="Ringkasan wilayah", en="Region overview"),
    "meet_spotlight": Words(id="Sorot", en="Spotlight"),
    "meet_spotlight_none": Words(id="Semua", en="All"),
    "meet_tile_angka": Words(id="Angka utama", en="Key figures"),
    "meet_tile_peta": Words(id="Peta", en="Map"),
    "meet_tile_tren": Words(id="Tren harian", en="Daily trend"),
    "meet_tile_peringatan": Words(id="Peringatan", en="Alerts"),
    "meet_tile_kamera": Words(id="Kamera", en="Camera"),
    "meet_plan": Words(id="Urutan paparan", en="Prepared views"),
    "meet_plan_none": Words(id="Tanpa urutan", en="No prepared views"),
    "meet_prev": Words(id="◀ Sebelumnya", en="◀ Previous"),
    "meet_next": Words(id="Berikutnya ▶", en="Next ▶"),
    "meet_step": Words(id="Langkah {n} dari {total}", en="Step {n} of {total}"),
    "meet_waiting": Words(id="Menunggu pemandu memilih topik", en="Waiting for the presenter to pick a topic"),
    "meet_keys": Words(id="Tombol panah ← → untuk pindah langkah", en="Arrow keys ← → to step"),
    "meet_open_screen": Words(id="Layar peserta", en="Audience screen"),
    "meet_cam_region": Words(id="Kab/kota", en="Regency/city"),
    "meet_cam_group": Words(id="Pengelola", en="Operated by"),
    "meet_cam_state": Words(id="Keadaan", en="State"),
    "meet_cam_picture": Words(id="Gambar terakhir", en="Latest picture"),
    "meet_no_alerts": Words(id="Tidak ada peringatan aktif di sini", en="No active alerts here"),
    "meet_saved": Words(id="Tersimpan: semua layar ruang ini mengikuti", en="Saved: every screen of this room follows"),
})
