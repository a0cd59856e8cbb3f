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
