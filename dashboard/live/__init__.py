"""The push channel, Redis to browser: one reader per process, what it last read, a page's identity."""
