"""What keeps the dashboard safe on a real network: callback rights, body and client limits, the
refusals' audit, sign-in form tokens, sessions that end, export cells and the production check."""
