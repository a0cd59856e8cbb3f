"""The IT control center's monitor: checks of every OPD's systems, their states, incidents and SLAs."""
