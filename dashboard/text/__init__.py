"""Words and numbers as a Banten screen writes them: the two languages, formatting, what each figure means."""
