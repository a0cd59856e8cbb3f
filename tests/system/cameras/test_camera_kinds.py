"""Real cameras that differ, each from a real GStreamer RTSP server, all on one gateway: a camera that
loses a slice of every keyframe shows "gambar rusak" within 5 s; one whose payloader cuts keyframes
into pieces is joined back and plays whole pictures; an H.265 camera and one sending B-frames
"codec tidak didukung", each with its reason in /healthz (the H.265 one plays once its config says
`transcode: true`); a camera with a keyframe only every 4 s
plays whole pictures at once, one that changes resolution mid-stream plays both, a burst of garbled
packets spoils only the pictures until the next keyframe; the well-behaved
camera beside them keeps its whole picture and the
gateway keeps running."""

from __future__ import annotations

import asyncio
import time

from tests.support.camera_integrity import SourceClip, whep_frames


def camera(url: str, name: str) -> dict:
    return {"name": name, "kab": "3673", "lat": -6.12, "lon": 106.15, "group": "dishub", "protocol": "rtsp",
            "main": url}


async def test_each_kind_of_camera_plays_or_says_why(kinds, gateway_factory, r):
    base, clips = kinds
    gateway = gateway_factory([], extra_cameras={"baik": camera(f"{base}/baik", "Kamera baik"),
                                                 "rusak": camera(f"{base}/rusak", "Kamera rusak"),
                                                 "potong": camera(f"{base}/potong", "Kunci terpotong"),
                                                 "hevc": camera(f"{base}/hevc", "Kamera H.265"),
                                                 "hevc-ubah": {**camera(f"{base}/hevc", "Kamera H.265 diubah"),
                                                               "transcode": True},
                                                 "jarang": camera(f"{base}/jarang", "Kunci 4 detik"),
                                                 "bframe": camera(f"{base}/bframe", "Kamera B-frame"),
                                                 "ganti": camera(f"{base}/ganti", "Ganti ukuran"),
                                                 "garbel": camera(f"{base}/garbel", "Jaringan buruk")})
    # Frames flowing from the broken camera: its picture is judged broken within 5 s.
    await asyncio.to_thread(gateway.wait_states, {"baik": {"live"}, "jarang": {"live"}, "ganti": {"live"},
                                                  "rusak": {"live", "damaged"}, "potong": {"live", "damaged"}}, 15)
    started = time.monotonic()
    await asyncio.to_thread(gateway.wait_states, {"rusak": {"damaged"}}, 5)
    assert time.monotonic() - started < 5
    await asyncio.to_thread(gateway.wait_states, {"hevc": {"unsupported"}, "bframe": {"unsupported"}}, 10)

    problems = gateway.get("/healthz")["problems"]
    assert problems["rusak"]["state"] == "damaged" and "solid green" in problems["rusak"]["reason"]
    assert problems["hevc"] == {"state": "unsupported", "reason": "video is hevc, the gateway relays H.264 only"}
    assert problems["bframe"]["state"] == "unsupported" and "B-frames" in problems["bframe"]["reason"]
    assert "baik" not in problems and "jarang" not in problems

    # The camera whose payloader cuts keyframes into pieces: the gateway joins them, so after at
    # most its first keyframe it is live with whole pictures.
    await asyncio.to_thread(gateway.wait_states, {"potong": {"live"}}, 5)
    source = SourceClip(clips["cam4/sub"])
    matches = [source.match(p) for p in await whep_frames(gateway.base, "potong", "main", 20)]
    assert all(m.intact for m in matches), matches
    deadline = time.monotonic() + 2  # the status writer puts each transition in Redis within its tick
    while time.monotonic() < deadline and (r.hget("cc:camera:status:rusak", "state") != "damaged"
                                           or r.hget("cc:camera:status:hevc", "state") != "unsupported"):
        await asyncio.sleep(0.1)
    assert r.hget("cc:camera:status:rusak", "state") == "damaged"
    assert r.hget("cc:camera:status:hevc", "state") == "unsupported"

    # The good camera beside them, and the one with a keyframe only every 4 s (a new viewer starts
    # at once from the packets since the last one): every sampled picture whole.
    for cid, clip in (("baik", clips["cam1/sub"]), ("jarang", clips["jarang"])):
        source = SourceClip(clip)
        asked = time.monotonic()
        pictures = await whep_frames(gateway.base, cid, "main", 8)
        assert time.monotonic() - asked < 3.5, f"{cid}: a new viewer waited for the next keyframe"
        matches = [source.match(p) for p in pictures]
        assert all(m.intact for m in matches), (cid, matches)
    # A camera that changes its resolution mid-stream: both sizes arrive, every picture whole.
    source = SourceClip(clips["ganti"])
    pictures = await whep_frames(gateway.base, "ganti", "main", 50)
    assert {p.shape for p in pictures} == {(360, 640), (540, 960)}
    matches = [source.match(p) for p in pictures]
    assert all(m.intact for m in matches), [m for m in matches if not m.intact]
    # A burst of garbled packets every 6 s: the pictures they touch may be broken until the next
    # keyframe (passthrough cannot repair them), every other picture is whole, nothing crashes.
    source = SourceClip(clips["cam3/sub"])
    matches = [source.match(p) for p in await whep_frames(gateway.base, "garbel", "main", 100)]
    # Frames come one for one, in order: the n-th picture shows clip frame first + n. A garbled
    # frame may show an older picture or none readable; every frame outside the burst and the rest
    # of its GOP must be exactly its own.
    assert matches[0].number is not None
    numbers = [(matches[0].number + n) % len(source.frames) for n in range(len(matches))]
    outside = [(m, n) for m, n in zip(matches, numbers) if not 20 <= n < 30]
    assert len(outside) >= 60 and all(m.intact and m.number == n for m, n in outside), \
        " ".join(f"{m.number}:{n}:{m.score:.2f}" for m, n in zip(matches, numbers))
    # The same H.265 camera with `transcode: true`: re-encoded to H.264 once, whole pictures.
    await asyncio.to_thread(gateway.wait_states, {"hevc-ubah": {"live"}}, 10)
    source = SourceClip(clips["hevc"])
    matches = [source.match(p) for p in await whep_frames(gateway.base, "hevc-ubah", "main", 8)]
    assert all(m.intact for m in matches), matches
    await asyncio.sleep(1.5)  # the unsupported cameras were retried meanwhile: still so, gateway alive
    assert gateway.process.poll() is None
    assert gateway.states() == {"baik": "live", "rusak": "damaged", "potong": "live", "hevc": "unsupported",
                                "jarang": "live", "hevc-ubah": "live",
                                "bframe": "unsupported", "ganti": "live", "garbel": "live"}
