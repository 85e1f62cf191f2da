"""One organisation across sources: identity rules, candidate pairs, scores, a review file, apply and unmerge.

See ``docs/linking.md``.  Modules: :mod:`.names` (a name taken apart),
:mod:`.rules` (same / part_of / subsidiary / different with reasons),
:mod:`.blocking` (candidate pairs), :mod:`.scoring` (comparisons and their
weights), :mod:`.link` (proposals), :mod:`.apply` (review file, journal,
unmerge), :mod:`.parents` (a name column beside a parent column; roll-up to groups).

Examples
--------
>>> from kg.loaders.linking import classify
>>> classify("联想（北京）有限公司", "联想集团有限公司", asserted=True).kind
'subsidiary'
"""

from kg.loaders.linking.apply import apply_review, read_review, unmerge, write_review
from kg.loaders.linking.link import match_names, propose_links
from kg.loaders.linking.parents import link_parents, rollup_groups
from kg.loaders.linking.rules import KINDS, Verdict, classify

__all__ = [
    "KINDS",
    "Verdict",
    "apply_review",
    "classify",
    "link_parents",
    "match_names",
    "propose_links",
    "read_review",
    "rollup_groups",
    "unmerge",
    "write_review",
]
