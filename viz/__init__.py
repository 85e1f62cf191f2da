"""Views of the graph: interactive offline HTML (pyvis + vis-network, inlined), GraphML/GEXF, images, tables.

Every function that builds a :class:`View` is named ``<what>_view``; writers are ``write_<what>``.
"""

from kg.deprecation import callable_module
from kg.viz.export import whole_graph, write_graph, write_image, write_view
from kg.viz.overview import overview_view, write_overview
from kg.viz.views import View, community_view, ego_view, match_view, region_view, subgraph_view
from kg.viz.views import ego as ego  # deprecated (removed in 0.3)
from kg.viz.views import subgraph as subgraph  # deprecated (removed in 0.3)

# ``kg.viz.overview`` is the module again; calling it still builds the overview view, with a warning
callable_module("kg.viz.overview", overview_view, "kg.viz.overview")

__all__ = [
    "View",
    "ego_view",
    "subgraph_view",
    "match_view",
    "community_view",
    "region_view",
    "overview_view",
    "whole_graph",
    "write_graph",
    "write_image",
    "write_view",
    "write_overview",
]
