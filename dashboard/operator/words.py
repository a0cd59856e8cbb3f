"""The operator's screen's words (/operator): acknowledging alerts, uploading files."""

from __future__ import annotations

from dashboard.text.words import Vocabulary, Words

WORDS = Vocabulary({
    "op_title": Words(id="Layar Operator", en="Operator screen"),
    "op_signed_in": Words(id="Masuk sebagai {who} · {scope}", en="Signed in as {who} · {scope}"),
    "op_scope_all": Words(id="semua aplikasi", en="all applications"),
    "op_not_operator": Words(
        id="Halaman ini untuk operator OPD dan admin.",
        en="This page is for agency operators and admins."),
    "op_alerts_title": Words(id="Peringatan aktif", en="Active alerts"),
    "op_alerts_none": Words(id="Tidak ada peringatan aktif yang menunggu.", en="No active alert is waiting."),
    "op_acked_title": Words(id="Sudah diterima", en="Acknowledged"),
    "op_acked_none": Words(id="Belum ada peringatan aktif yang diterima.", en="No active alert has been acknowledged."),
    "op_acked_by": Words(id="Diterima oleh {who}, {when}", en="Acknowledged by {who}, {when}"),
    "op_ack_button": Words(id="Terima", en="Acknowledge"),
    "op_ack_done": Words(
        id="Diterima: {message} (oleh {who}, {when})",
        en="Acknowledged: {message} (by {who}, {when})"),
    "op_ack_gone": Words(id="Peringatan itu sudah tidak aktif.", en="That alert is no longer active."),
    "op_ack_refused": Words(
        id="Peringatan itu bukan dari aplikasi Anda; tidak diterima.",
        en="That alert is not from your application; not acknowledged."),
    "op_severity_critical": Words(id="KRITIS", en="CRITICAL"),
    "op_severity_warning": Words(id="PERINGATAN", en="WARNING"),
    "op_severity_info": Words(id="INFO", en="INFO"),
    "op_upload_title": Words(id="Unggah berkas", en="Upload a file"),
    "op_upload_rule": Words(
        id=("Setiap baris diperiksa. Satu baris salah: seluruh berkas ditolak dan tidak ada yang disimpan; perbaiki "
            "lalu unggah lagi."),
        en=("Every row is checked. One bad row: the whole file is refused and nothing is stored; fix it and upload "
            "again.")),
    "op_upload_columns": Words(id="Kolom wajib: {columns}", en="Required columns: {columns}"),
    "op_upload_drop": Words(id="Seret berkas CSV atau Excel ke sini, atau", en="Drop a CSV or Excel file here, or"),
    "op_upload_choose": Words(id="pilih berkas", en="choose a file"),
    "op_upload_no_feeds": Words(
        id="Tidak ada feed Anda yang menerima unggahan.",
        en="None of your feeds accepts uploads."),
    "op_upload_accepted": Words(
        id="Berkas diterima: {rows} baris ({new} baru, {dup} duplikat).",
        en="File accepted: {rows} rows ({new} new, {dup} duplicates)."),
    "op_upload_rows_refused": Words(
        id="Berkas ditolak: {n} kesalahan dalam {rows} baris. Tidak ada yang disimpan.",
        en="File refused: {n} errors in {rows} rows. Nothing was stored."),
    "op_upload_file_refused": Words(id="Berkas ditolak: {reason}", en="File refused: {reason}"),
    "op_upload_forbidden": Words(id="Anda tidak boleh mengunggah ke feed ini.", en="You may not upload to this feed."),
    "op_upload_not_configured": Words(
        id="Unggah belum tersedia: token internal (ingest.internal_token) belum diatur.",
        en="Uploads are not available: the internal token (ingest.internal_token) is not set."),
    "op_upload_unavailable": Words(
        id="Layanan ingest tidak dapat dihubungi ({reason}); coba lagi sebentar lagi.",
        en="The ingest service cannot be reached ({reason}); try again shortly."),
    "op_upload_unreadable": Words(id="isi berkas tidak terbaca", en="the file's content cannot be read"),
    "op_upload_too_big": Words(id="berkas lebih dari {mb} MB", en="the file is over {mb} MB"),
    "op_col_row": Words(id="Baris", en="Row"),
    "op_col_column": Words(id="Kolom", en="Column"),
    "op_col_reason": Words(id="Kesalahan", en="Error"),
    "op_recent_title": Words(id="Unggahan terakhir", en="Last uploads"),
    "op_recent_none": Words(id="Belum ada unggahan untuk feed Anda.", en="No uploads for your feeds yet."),
    "op_col_when": Words(id="Waktu", en="Time"),
    "op_col_feed": Words(id="Feed", en="Feed"),
    "op_col_who": Words(id="Oleh", en="By"),
    "op_col_outcome": Words(id="Hasil", en="Outcome"),
    "op_col_detail": Words(id="Keterangan", en="Details"),
    "op_outcome_ok": Words(id="Diterima", en="Accepted"),
    "op_outcome_refused": Words(id="Ditolak", en="Refused"),
})
