"""The demo ecosystem generator."""
