"""The contract between ingest and dashboard: configuration, stream keys and records, Redis, regions."""
