"""The IT control center on screens: the wall tiles (OPD x service matrix, certificates, summary),
the /it drill-down page and the public /status page."""
