"""A camera listing's row that ingest refuses: its reason is kept, its stream address and password are not."""

from __future__ import annotations

from datetime import UTC, datetime

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


async def test_a_rejected_camera_row_reaches_the_dead_letters_without_its_address(redis_url):
    """The dead-letter stream keeps why a camera row was refused, never its stream address or password."""
    import json

    from core.config import load_config
    from core.redis import connect_async
    from core.streams import DEADLETTER
    from ingest.writer import StreamWriter

    config = load_config("config.yaml")
    client = connect_async(redis_url, decode_responses=True)
    try:
        start = (await client.xrevrange(DEADLETTER, count=1) or [("0-0", None)])[0][0]
        row = {"id": "cam-9", "nama_lokasi": "Pasar Rau", "kode_kab": "3699", "rtsp_url": "rtsp://admin:rahasia@10.0.0.9/1",
               "password": "rahasia"}
        await StreamWriter(client, config).reject("cctv_kamera", "unknown region code '3699'", row)
        letters = [f for i, f in await client.xrange(DEADLETTER, min=f"({start}") if f["feed"] == "cctv_kamera"]
        assert len(letters) == 1 and "rahasia" not in json.dumps(letters[0])
        assert json.loads(letters[0]["raw"])["nama_lokasi"] == "Pasar Rau"
    finally:
        await client.aclose()
