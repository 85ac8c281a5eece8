"""Extraction: one article -> the casualty figures it states (:class:`Mention`).

Pipeline, per article:

1. split the text into sentence units (a quotation spanning sentences stays one unit, so
   its attribution "..., he said" is in reach);
2. keep the units that can hold a claim: a casualty word and a figure (cheap regex);
3. parse only those with spaCy (tagger + parser; no lemmatizer); spaCy's named entities
   are read only for sentences with a place name in doubt (:mod:`.entities`);
4. for every figure, decide from the dependency tree whether it counts killed, injured or
   missing people, and drop ages, durations, weapons, rates, projections, subsets
   ("including two children") and past events used for comparison;
5. attach qualifier, hedge, source, location (gazetteer), date (resolved against the
   publication date) and weekday;
6. report each (metric, value, place) once per article.

Pure: the only I/O is loading the spaCy model and the gazetteer, once, on first use."""

from processors.extract.candidate import SCOPES
from processors.extract.extractor import Extractor, default_extractor
from processors.extract.units import blank_datelines, split_units

__all__ = ["SCOPES", "Extractor", "blank_datelines", "default_extractor", "split_units"]
