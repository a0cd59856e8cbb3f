"""The governor's screen: how the province is today, in one look."""
