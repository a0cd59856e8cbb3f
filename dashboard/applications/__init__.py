"""The page of each application at /app/<application>: headline figures, map, bars, trend, table, exports."""
