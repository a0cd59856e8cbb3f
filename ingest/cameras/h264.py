"""What the gateway reads of H.264 itself (Annex B, as RTSP and WHEP packets arrive): NAL unit types
and where a picture starts. Just enough to relay correctly; decoding is PyAV's."""

from __future__ import annotations

from collections.abc import Iterator

SLICE, IDR, SEI, SPS, PPS, AUD = 1, 5, 6, 7, 8, 9
VCL = (SLICE, IDR)


def nal_units(annex_b: bytes) -> Iterator[tuple[int, int]]:
    """(type, offset of the unit's header byte) of each NAL unit in an Annex B buffer."""
    i = annex_b.find(b"\x00\x00\x01")
    while i >= 0 and i + 3 < len(annex_b):
        yield annex_b[i + 3] & 0x1F, i + 3
        i = annex_b.find(b"\x00\x00\x01", i + 3)


def nal_types(annex_b: bytes) -> set[int]:
    """The NAL unit types in an H.264 Annex B access unit."""
    return {kind for kind, _ in nal_units(annex_b)}


def first_mb(annex_b: bytes, header: int) -> int | None:
    """first_mb_in_slice of the slice whose NAL header byte is at `header` (an Exp-Golomb number
    right after that byte; within its first bytes no emulation prevention can occur)."""
    bits = int.from_bytes(annex_b[header + 1:header + 9].ljust(8, b"\xff"), "big")
    zeros = 0
    while zeros < 32 and not (bits >> (63 - zeros)) & 1:
        zeros += 1
    if zeros >= 32:
        return None
    return ((bits >> (63 - 2 * zeros)) & ((1 << (zeros + 1)) - 1)) - 1


def starts_picture(annex_b: bytes) -> bool:
    """True when the buffer's first slice is the top of a picture (first_mb_in_slice 0): a client
    that joined in the middle of a frame gets its last slices only, which decode as a partial picture."""
    for kind, header in nal_units(annex_b):
        if kind in VCL:
            return first_mb(annex_b, header) == 0
    return False


PARAMETER_SETS = (AUD, SPS, PPS)


def continues_keyframe(annex_b: bytes) -> bool:
    """True for the rest of a keyframe cut off from its start: IDR slices whose first one is not the
    top of the picture (a payloader that put SPS/PPS before every slice made the demuxer cut there)."""
    for kind, header in nal_units(annex_b):
        if kind in VCL:
            return kind == IDR and (first_mb(annex_b, header) or 0) > 0
    return False


def without_parameter_sets(annex_b: bytes) -> bytes:
    """The buffer without its delimiter and parameter set NAL units (which may not sit between slices)."""
    starts = [(kind, header) for kind, header in nal_units(annex_b)]
    out = []
    for i, (kind, header) in enumerate(starts):
        begin = header - (4 if header >= 4 and annex_b[header - 4] == 0 else 3)
        end = starts[i + 1][1] - 3 if i + 1 < len(starts) else len(annex_b)
        if i + 1 < len(starts) and annex_b[end - 1] == 0:
            end -= 1  # the next unit's 4-byte start code
        if kind not in PARAMETER_SETS:
            out.append(annex_b[begin:end])
    return b"".join(out)
