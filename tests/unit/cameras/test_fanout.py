"""Fan-out of one camera's packets: bounded per viewer, new viewers start at the last keyframe."""

from __future__ import annotations

import fractions

import av

from ingest.cameras.fanout import PacketFanout, RelayTrack

TB = fractions.Fraction(1, 90000)


def packet(pts: int, key: bool = False) -> av.Packet:
    p = av.Packet(b"\x00\x00\x00\x01\x65" if key else b"\x00\x00\x00\x01\x41")
    p.pts, p.dts, p.time_base, p.is_keyframe = pts, pts, TB, key
    return p


async def test_a_new_viewer_starts_at_the_last_keyframe():
    fanout = PacketFanout(capacity=50)
    for i in range(40):
        fanout.publish(packet(i * 6000, key=i % 15 == 0))
    viewer = fanout.subscribe()
    first = viewer.queue.get_nowait()
    assert first.is_keyframe and first.pts == 30 * 6000 + fanout._offset  # frame 30 was the last keyframe
    assert viewer.queue.qsize() == 9  # frames 31..39 follow, nothing older


async def test_a_viewer_that_does_not_read_is_dropped_not_buffered():
    dropped = []
    fanout = PacketFanout(capacity=10)
    slow = fanout.subscribe(on_drop=dropped.append)
    fast = fanout.subscribe()
    for i in range(30):
        fanout.publish(packet(i * 6000, key=i == 0))
        while not fast.queue.empty():
            fast.queue.get_nowait()
    assert dropped == [slow] and slow.overflowed
    assert slow.queue.qsize() == 10  # never more than its capacity
    assert fanout.viewers == {fast}
    track = RelayTrack(slow)
    try:
        await track.recv()
        raise AssertionError("a dropped viewer's track must end")
    except Exception as exc:  # MediaStreamError ends the sender loop
        assert type(exc).__name__ == "MediaStreamError"


async def test_timestamps_keep_going_forward_when_the_camera_reconnects():
    fanout = PacketFanout(capacity=100)
    viewer = fanout.subscribe()
    for i in range(10):
        fanout.publish(packet(900000 + i * 6000, key=i == 0))
    fanout.upstream_restarted()
    for i in range(5):
        fanout.publish(packet(i * 6000, key=i == 0))  # the camera's clock started again at zero
    stamps = [viewer.queue.get_nowait().pts for _ in range(15)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 15


def test_keyframes_cut_into_pieces_are_joined_once_a_stream_shows_it():
    from ingest.cameras.pull import KeyframeJoiner

    sps_pps = b"\x00\x00\x00\x01\x67\x42\x00\x00\x00\x01\x68\xce"
    top, rest = b"\x00\x00\x01\x65\x88\x11", b"\x00\x00\x01\x65\x40\x22"  # first_mb_in_slice 0, then 1

    def pkt(data: bytes, pts: int | None, key: bool) -> av.Packet:
        p = av.Packet(data)
        p.pts, p.dts, p.time_base, p.is_keyframe = pts, pts, TB, key
        return p

    def gop(pts: int) -> list[av.Packet]:
        return [pkt(b"\x00\x00\x00\x01\x09\xf0" + sps_pps + top, pts, True), pkt(sps_pps + rest, pts, True),
                pkt(b"\x00\x00\x00\x01\x09\xf0\x00\x00\x01\x41\x9a", pts + 6000, False)]

    joiner = KeyframeJoiner("uji")
    first = [out for p in gop(0) for out in joiner.feed(p)]
    assert len(first) == 3 and joiner.joining  # seen too late for the first keyframe: passed as it came
    second = [out for p in gop(90000) for out in joiner.feed(p)]
    assert len(second) == 2 and second[0].is_keyframe and second[0].pts == 90000
    assert bytes(second[0]) == b"\x00\x00\x00\x01\x09\xf0" + sps_pps + top + rest  # no SPS/PPS between slices

    whole = KeyframeJoiner("baik")  # a camera that sends whole keyframes is never held back
    for p in [pkt(b"\x00\x00\x00\x01\x09\xf0" + sps_pps + top + rest, 0, True),
              pkt(b"\x00\x00\x01\x41\x9a", 6000, False)]:
        assert whole.feed(p) == [p]
    assert not whole.joining
