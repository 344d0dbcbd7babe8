"""The clinical model and every rule, in pure standard-library Python."""
