"""Walls: screens from layouts/, their playlists and the remote that steers them."""
