"""The live command-center screens: Dash 4 on FastAPI, pushed over WebSocket from one Redis reader."""
