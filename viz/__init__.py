"""Views: interactive HTML (pyvis), GraphML / GEXF export."""
