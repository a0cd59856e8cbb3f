"""One module per page kind: the wall (a screen from layouts/) and the list of screens."""
