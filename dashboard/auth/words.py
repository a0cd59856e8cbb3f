"""The words of signing in and out, the accounts and the audit page (/masuk, /keluar, /admin/audit)."""

from __future__ import annotations

from dashboard.text.words import Vocabulary, Words

WORDS = Vocabulary({
    "auth_title": Words(id="Masuk", en="Sign in"),
    "auth_heading": Words(id="Masuk ke Command Center", en="Sign in to the Command Center"),
    "auth_username": Words(id="Nama pengguna", en="Username"),
    "auth_password": Words(id="Kata sandi", en="Password"),
    "auth_submit": Words(id="Masuk", en="Sign in"),
    "auth_failed": Words(id="Nama pengguna atau kata sandi salah.", en="Wrong username or password."),
    "auth_limited": Words(
        id="Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.",
        en="Too many failed sign-ins. Try again in {minutes} minutes."),
    "auth_form_stale": Words(
        id="Formulir sudah kedaluwarsa atau sudah dipakai. Silakan coba lagi.",
        en="The form expired or was already used. Please try again."),
    "auth_session_ended": Words(
        id="Sesi Anda telah berakhir. Silakan masuk kembali.",
        en="Your session has ended. Please sign in again."),
    "auth_public_link": Words(id="Portal data publik (tanpa masuk)", en="Public data portal (no sign-in)"),
    "auth_signed_in_as": Words(id="Masuk sebagai {name} ({role})", en="Signed in as {name} ({role})"),
    "auth_logout": Words(id="Keluar", en="Sign out"),
    "auth_logout_question": Words(id="Keluar dari Command Center?", en="Sign out of the Command Center?"),
    "auth_logged_out": Words(id="Anda telah keluar.", en="You have signed out."),
    "auth_denied_title": Words(id="Akses ditolak", en="Access denied"),
    "auth_denied": Words(
        id="Akun {name} ({role}) tidak berhak membuka {path}.",
        en="The account {name} ({role}) may not open {path}."),
    "auth_login_needed": Words(
        id="Halaman ini hanya untuk pengguna yang sudah masuk.",
        en="This page is for signed-in users only."),
    "auth_login_link": Words(id="Masuk", en="Sign in"),
    "auth_home": Words(id="Beranda", en="Home"),
    "auth_retry": Words(
        id="Layanan sesi sedang tidak tersedia. Coba lagi sebentar lagi.",
        en="The session service is unavailable. Try again shortly."),
    "auth_role_public": Words(id="publik", en="public"),
    "auth_role_operator": Words(id="operator", en="operator"),
    "auth_role_analyst": Words(id="analis", en="analyst"),
    "auth_role_executive": Words(id="pimpinan", en="executive"),
    "auth_role_wall": Words(id="layar dinding", en="wall screen"),
    "auth_role_admin": Words(id="admin", en="admin"),
    "admin_audit_title": Words(id="Jejak audit", en="Audit trail"),
    "admin_at": Words(id="Waktu (WIB)", en="Time (WIB)"),
    "admin_who": Words(id="Pengguna", en="User"),
    "admin_action": Words(id="Tindakan", en="Action"),
    "admin_target": Words(id="Sasaran", en="Target"),
    "admin_outcome": Words(id="Hasil", en="Outcome"),
    "admin_detail": Words(id="Keterangan", en="Detail"),
    "admin_ip": Words(id="Alamat IP", en="IP address"),
    "admin_filter": Words(id="Saring", en="Filter"),
    "admin_all": Words(id="semua", en="all"),
    "admin_none": Words(id="Tidak ada entri yang cocok.", en="No matching entries."),
    "admin_shown": Words(id="{n} entri terbaru", en="{n} newest entries"),
})
