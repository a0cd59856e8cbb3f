"""The analysts' page: one measure compared across regions over a range of WIB days."""
