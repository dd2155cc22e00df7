"""Install the sample company into a Cadre home: files, registered sources, catalog and policies."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from cadre.data.service import DataService
from cadre.errors import ConfigError
from cadre.sample.generate import create_sample_company
from cadre.sample.models import SampleSize
from cadre.sample.specs import sample_catalog_yaml, sample_policies_yaml

if TYPE_CHECKING:
    from cadre.agents.specs import AgentVersions, Deployment

# The sample company's systems, as Cadre sees them: name -> (scheme, path inside the sources folder)
KNOWLEDGE_COLLECTIONS = ("help", "sales")  # folders of src/cadre/sample/kb, ingested as collections of that name
SAMPLE_SOURCES = {"crm": ("sqlite", "crm.db"), "billing": ("parquet", "billing"), "marketing": ("csv", "marketing")}


@dataclass(frozen=True)
class InstalledSample:
    directory: Path
    size: str
    seed: int
    counts: dict[str, int]
    seconds: float
    sources: list[str]
    catalog: Path
    policies: Path
    notes: list[str] = field(default_factory=list)


def install_sample(
    data: DataService, *, size: SampleSize, seed: int, force: bool = False, reset_config: bool = False
) -> InstalledSample:
    """Generate the company next to the old one, then swap, so a failure leaves the old one intact."""
    target = data.settings.sources_dir
    if target.exists() and any(target.iterdir()) and not force:
        raise ConfigError(f"a sample company already exists in {str(target)!r}", hint="pass `--force` to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    summary = create_sample_company(staging, size=size, seed=seed)
    copy_knowledge(staging)
    if target.exists():
        retired = target.with_name(target.name + ".old")
        shutil.rmtree(retired, ignore_errors=True)
        target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(target)

    for name, (scheme, relative) in SAMPLE_SOURCES.items():
        data.add_source(name, f"{scheme}://{target / relative}", replace=True)

    notes = [
        _write_unless_customised(data.settings.catalog_file, sample_catalog_yaml(), reset_config, "catalog"),
        _write_unless_customised(data.settings.policies_file, sample_policies_yaml(), reset_config, "policies"),
    ]
    return InstalledSample(
        directory=target,
        size=size,
        seed=seed,
        counts=summary.counts,
        seconds=summary.seconds,
        sources=list(SAMPLE_SOURCES),
        catalog=data.settings.catalog_file,
        policies=data.settings.policies_file,
        notes=[n for n in notes if n],
    )


def copy_knowledge(company: Path) -> None:
    """The help centre and sales collateral, as files a company would export, plus their curation truth."""
    shipped = files("cadre.sample") / "kb"
    with as_file(shipped) as folder:
        for collection in KNOWLEDGE_COLLECTIONS:
            shutil.copytree(folder / collection, company / "knowledge" / collection)
        (company / "ground_truth").mkdir(exist_ok=True)
        shutil.copy(folder / "curation_truth.yaml", company / "ground_truth" / "curation_truth.yaml")


def _write_unless_customised(path: Path, text: str, reset: bool, what: str) -> str | None:
    # A catalog or policy file someone edited is their work: keep it, or with `reset` keep a backup.
    note = None
    if path.exists() and path.read_text(encoding="utf-8") != text:
        if not reset:
            return f"kept your edited {what} at {path} (pass --reset-config to replace it with the sample's)"
        backup = path.with_name(path.name + ".bak")
        path.replace(backup)
        note = f"replaced your edited {what}; the previous one is at {backup}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return note


def sample_agent_specs() -> list[Path]:
    """The hero agents' specs shipped with the sample company (installed package files, readable in place)."""
    folder = Path(str(files("cadre.sample") / "agents"))
    return sorted(folder.glob("*.yaml"))


def deploy_sample_agents(versions: AgentVersions, names: Iterable[str] | None = None) -> list[Deployment]:
    """Deploy the sample's hero agents (all, or those named); an unchanged spec keeps its current version."""
    wanted = set(names) if names is not None else None
    return [versions.deploy(p) for p in sample_agent_specs() if wanted is None or p.stem in wanted]
