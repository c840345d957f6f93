"""Government units: gazetteer, mention finder/linker, region resolution, suggestions.

See ``/spec/units.md``. The spaCy component lives in :mod:`govnlp.units.component`
(factory ``govnlp_units``).
"""

from .divisions import Divisions, DivisionsNotFound, default_divisions_path, load_divisions
from .gazetteer import Gazetteer, GazetteerView, read_records
from .linker import find_units
from .region import Region, document_region, resolve_region
from .suggest import suggest_entries


def unit_surface_forms(gazetteer=None, region=None, min_len=3):
    """Unit surface forms (for the pkuseg user dictionary)."""
    gaz = gazetteer if gazetteer is not None else Gazetteer.default(divisions=None)
    return gaz.surface_forms(region, min_len=min_len)


__all__ = [
    "Divisions",
    "DivisionsNotFound",
    "default_divisions_path",
    "load_divisions",
    "Gazetteer",
    "GazetteerView",
    "read_records",
    "find_units",
    "Region",
    "document_region",
    "resolve_region",
    "suggest_entries",
    "unit_surface_forms",
]
