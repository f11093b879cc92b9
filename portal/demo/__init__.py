"""Demo content: a realistic municipality distilled from the source documents in shared/seeds."""
