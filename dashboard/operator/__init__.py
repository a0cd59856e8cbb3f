"""The operator's screen: their own feeds, alerts to acknowledge, uploads."""
