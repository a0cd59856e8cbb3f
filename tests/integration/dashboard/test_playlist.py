"""Playlists: where a rotation stands comes from the server clock and the state the remote leaves in Redis."""

import asyncio

import pytest

from core.streams import playlist_state
from dashboard.walls.playlist import Item, Playlist, PlaylistStates, State, apply, command, position, read_state

ROTATION = Playlist("putaran", "Putaran", None, (Item(screen="ikhtisar", seconds=60), Item(screen="harga", seconds=30),
                                                 Item(screen="pengaduan", seconds=30)))
T = 1_790_000_000.0  # a server time (Unix seconds); the default state runs from the epoch


def test_every_wall_computes_the_same_place_from_the_clock():
    base = T - T % ROTATION.cycle  # a cycle starts here
    at = position(ROTATION, State(), base + 75)
    assert (at.index, at.elapsed, at.remaining) == (1, 15, 15)
    assert at.started_at == base + 60 and at.ends_at == base + 90
    assert position(ROTATION, State(), base + 119.9).index == 2
    assert position(ROTATION, State(), base + 120).index == 0  # the next cycle
    # The same item gives the same start on every frame, so a wall's bar does not jitter.
    assert position(ROTATION, State(), base + 61).started_at == position(ROTATION, State(), base + 89).started_at


def test_next_previous_and_jump_start_the_item_now():
    state = State(anchor=T - 10)  # 10 s into item 0
    after = command(ROTATION, state, "next", T, who="budi")
    assert position(ROTATION, after, T).index == 1 and position(ROTATION, after, T).elapsed == 0
    assert position(ROTATION, after, T + 29).index == 1 and position(ROTATION, after, T + 30).index == 2
    assert after.by == "budi" and after.at.endswith("Z")
    back = command(ROTATION, state, "previous", T)
    assert position(ROTATION, back, T).index == 2  # wraps round
    jumped = command(ROTATION, state, "jump", T, index=2)
    assert (position(ROTATION, jumped, T).index, position(ROTATION, jumped, T).elapsed) == (2, 0)
    with pytest.raises(ValueError):
        command(ROTATION, state, "jump", T, index=3)
    with pytest.raises(ValueError):
        command(ROTATION, state, "shuffle", T)


def test_pause_holds_the_place_and_resume_continues_from_it():
    state = State(anchor=T - 70)  # item 1, 10 s in
    paused = command(ROTATION, state, "pause", T)
    for later in (T + 5, T + 500):
        at = position(ROTATION, paused, later)
        assert (at.index, at.elapsed, at.paused, at.ends_at) == (1, 10, True, None)
    # Moving while paused stays paused, at the start of the chosen item.
    moved = command(ROTATION, paused, "next", T + 100)
    assert position(ROTATION, moved, T + 200).index == 2 and position(ROTATION, moved, T + 200).paused
    resumed = command(ROTATION, paused, "resume", T + 500)
    at = position(ROTATION, resumed, T + 505)
    assert (at.index, at.elapsed, at.paused) == (1, 15, False)


def test_the_state_round_trips_through_redis_and_a_bad_hash_rotates_from_the_epoch(r):
    assert read_state(r, "putaran") == State()
    new = apply(r, ROTATION, "pause", who="sari")
    assert read_state(r, "putaran") == new and new.paused and new.by == "sari"
    assert r.hget(playlist_state("putaran"), "paused") == "1"
    r.hset(playlist_state("putaran"), mapping={"anchor": "kemarin"})
    assert read_state(r, "putaran") == State()


async def test_each_process_sees_a_remote_press_within_a_second(redis_url, r):
    states = PlaylistStates(redis_url, {"putaran": ROTATION})
    await states.start()
    try:
        version = states.changed.version
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        apply(r, ROTATION, "next", who="sari")
        await states.changed.wait(version, timeout=2)
        assert loop.time() - t0 < 1.0
        assert states.get("putaran").by == "sari"
    finally:
        await states.stop()
