"""e-CCTV: camera sources (one file per protocol), the packet fan-out, health, snapshots, WHEP gateway."""
