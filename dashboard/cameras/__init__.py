"""Cameras through the dashboard's own origin: the list a screen shows, WHEP proxy and snapshots."""
