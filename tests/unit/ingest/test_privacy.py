"""Personal data is masked before it reaches Redis."""

from ingest.privacy import mask_personal


def test_built_in_personal_fields_are_masked():
    masked = mask_personal({"nik": "3601234567890001", "nama_pelapor": "Siti Wulandari", "telepon": "081234567878",
                            "category": "Kesehatan"}, extra=[], keep=[])
    assert masked == {"nik": "3601********0001", "nama_pelapor": "S*** W***", "telepon": "0812******78",
                      "category": "Kesehatan"}


def test_a_feed_adds_and_keeps_fields():
    payload = {"no_rekam_medis": "RM-0099", "nama": "Budi"}
    masked = mask_personal(payload, extra=["no_rekam_medis"], keep=["nama"])
    assert masked == {"no_rekam_medis": "[disamarkan]", "nama": "Budi"}


def test_nik_and_phone_typed_into_free_text_are_masked_but_ids_are_not():
    payload = {"judul": "Jalan rusak, NIK saya 3601234567890001, hubungi 0812-3456-7890 atau +62 857 1234 5678",
               "tracking_id": "3601234567890001", "nilai": "1500000000", "kode": "LPSE 10012345 tahap 2"}
    masked = mask_personal(payload, extra=[], keep=[])
    assert masked["judul"] == "Jalan rusak, NIK saya 3601********0001, hubungi 0812******90 atau 6285*******78"
    # A value without a space is an id or a number, not text someone typed.
    assert masked["tracking_id"] == "3601234567890001" and masked["nilai"] == "1500000000"
    assert masked["kode"] == "LPSE 10012345 tahap 2"
    # A feed that keeps a field unmasked (a reviewed decision) keeps its text as it came.
    assert mask_personal(payload, extra=[], keep=["judul"])["judul"] == payload["judul"]
