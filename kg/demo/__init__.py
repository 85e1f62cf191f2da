"""The demo ecosystem generator: ``build_demo(graph, seed=7, scale=1.0)``.

Examples
--------
>>> from kg.demo import generate
>>> callable(generate)
True
"""

from kg.demo.generator import DemoFiles, build_demo, generate

__all__ = ["DemoFiles", "build_demo", "generate"]
