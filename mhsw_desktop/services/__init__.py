"""Use cases over an open vault: validate, write, query. Each takes an explicit Session."""
