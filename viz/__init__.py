"""Views of the graph: interactive offline HTML (pyvis + vis-network, inlined), GraphML/GEXF, images, tables."""

from kg.viz.export import whole_graph, write_graph, write_image, write_view
from kg.viz.overview import overview, write_overview
from kg.viz.views import View, community_view, ego, match_view, region_view, subgraph

__all__ = [
    "View",
    "ego",
    "subgraph",
    "match_view",
    "community_view",
    "region_view",
    "whole_graph",
    "write_graph",
    "write_image",
    "write_view",
    "overview",
    "write_overview",
]
