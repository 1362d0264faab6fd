"""Data-quality checks: the DfE CIN census rules about child protection, and cptrack's own.

``run(CensusData)`` applies every rule the data can answer; ``Validator`` does the same a
batch of children at a time for a large file. Rules are declared as data in
``dfe_episodes``, ``dfe_s47``, ``dfe_plans`` and ``own_checks`` and listed in
``registry.all_rules()``; ``output.render`` shows findings as a table, CSV or JSON.
"""

from cptrack.interchange.dataquality.census import CensusData, census_year
from cptrack.interchange.dataquality.output import render
from cptrack.interchange.dataquality.registry import Validator, all_rules, run

__all__ = ["CensusData", "Validator", "all_rules", "census_year", "render", "run"]
