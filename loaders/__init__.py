"""Loaders: source files -> validated rows -> graph."""
