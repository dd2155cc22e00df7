"""The semantic catalog and policies shipped with the sample company, as YAML text."""

from __future__ import annotations

from importlib.resources import files


def sample_catalog_yaml() -> str:
    """The catalog mapping Halyard Cloud's systems (`crm`, `billing`, `marketing`) onto entities and identities."""
    return files("cadre.sample").joinpath("catalog.yaml").read_text(encoding="utf-8")


def sample_policies_yaml() -> str:
    """Who at Halyard Cloud, and which agent, may read what, for which purpose."""
    return files("cadre.sample").joinpath("policies.yaml").read_text(encoding="utf-8")
