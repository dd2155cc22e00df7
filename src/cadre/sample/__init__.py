"""A fictional B2B SaaS company, Halyard Cloud, whose data is scattered over a CRM, billing and marketing."""

from cadre.sample._clock import TODAY
from cadre.sample.generate import create_sample_company
from cadre.sample.models import SampleSize, SampleSummary
from cadre.sample.specs import sample_catalog_yaml, sample_policies_yaml

__all__ = [
    "TODAY",
    "SampleSize",
    "SampleSummary",
    "create_sample_company",
    "sample_catalog_yaml",
    "sample_policies_yaml",
]
