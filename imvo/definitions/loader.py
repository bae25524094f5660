"""Load kpi_definitions/: every problem names its file and line, and all are reported at once."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from imvo.definitions.models import Catalogue, Covenant, Definitions, KpiDefinition
from imvo.errors import DefinitionError

M = TypeVar("M", bound=BaseModel)
Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed YAML file with the line of every key, to point errors at the right place."""

    path: Path
    data: Any
    lines: dict[Path_, int]

    def line(self, loc: Path_) -> int:
        """Return the line of the deepest known key on a location path."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


def _index_lines(node: yaml.Node, prefix: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*prefix, key.value)] = key.start_mark.line + 1
            _index_lines(value, (*prefix, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*prefix, i), lines)


def read_source(path: Path) -> Source:
    """Parse one YAML file, keeping the line numbers of its keys."""
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", exc)
        raise DefinitionError(f"{path}:{line}: not valid YAML ({problem})") from None
    lines: dict[Path_, int] = {}
    if node is not None:
        _index_lines(node, (), lines)
    return Source(path, data, lines)


def _describe(error: Any) -> str:
    where = ".".join(str(p) for p in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown key '{error['loc'][-1]}'"
    if error["type"] == "missing":
        parent = ".".join(str(p) for p in error["loc"][:-1])
        return f"{parent + ': ' if parent else ''}missing key '{error['loc'][-1]}'"
    message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def parse_model(model: type[M], source: Source, problems: list[str]) -> M | None:
    """Validate a source against a model; add 'file:line: problem' lines for every error."""
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(f"{source.path}:{source.line(error['loc'])}: {_describe(error)}")
        return None


def _check_references(defs: Definitions, sources: dict[str, Source], problems: list[str]) -> None:
    for kpi in defs.kpis.values():
        _check_kpi(kpi, defs.catalogue, sources[f"kpi:{kpi.id}"], problems)
    for cov in defs.covenants.values():
        _check_covenant(cov, defs, sources[f"covenant:{cov.slug}"], problems)


def _check_kpi(kpi: KpiDefinition, catalogue: Catalogue, src: Source, problems: list[str]) -> None:
    unknown = sorted(kpi.fields() - catalogue.ids())
    for name in unknown:
        problems.append(f"{src.path}:{src.line(())}: unknown field '{name}' in KPI '{kpi.id}'")
    if unknown:
        return
    for key, measure in (("numerator", kpi.numerator), ("denominator", kpi.denominator)):
        tables = catalogue.measure_tables(measure) if measure else set()
        if len(tables) > 1:
            problems.append(f"{src.path}:{src.line((key,))}: {key} reads the sheets "
                            f"{', '.join(sorted(tables))}; a measure reads one sheet")
    for i, breakdown in enumerate(kpi.breakdowns):
        where = f"{src.path}:{src.line(('breakdowns', i))}: breakdown '{breakdown}'"
        if breakdown == "size_class":
            continue  # from the member register, so every KPI of members can have it
        if breakdown not in catalogue.ids():
            problems.append(f"{where} needs a field '{breakdown}' in fields.yaml")
            continue
        table = catalogue.field(breakdown).table
        if any(catalogue.measure_table(m) != table for m in kpi.measures()):
            problems.append(f"{where} needs the numerator and denominator on the {table} sheet")


def _check_covenant(cov: Covenant, defs: Definitions, src: Source, problems: list[str]) -> None:
    goals = {g.id for g in cov.outcome_goals}
    for i, kpi_id in enumerate(cov.kpis):
        if kpi_id not in defs.kpis:
            problems.append(f"{src.path}:{src.line(('kpis', i))}: unknown KPI '{kpi_id}'")
    for i, target in enumerate(cov.targets):
        loc = src.line(("targets", i))
        if target.kpi not in cov.kpis:
            problems.append(f"{src.path}:{loc}: target for KPI '{target.kpi}', "
                            "which is not in this covenant's kpis")
        if target.outcome_goal not in goals:
            problems.append(f"{src.path}:{loc}: unknown outcome goal '{target.outcome_goal}'")
    for i, fig in enumerate(cov.published):
        if fig.kpi is not None and fig.kpi not in cov.kpis:
            problems.append(f"{src.path}:{src.line(('published', i))}: published figure "
                            f"for KPI '{fig.kpi}', which is not in this covenant's kpis")
    _check_breaks(cov, src, problems)


def _check_breaks(cov: Covenant, src: Source, problems: list[str]) -> None:
    for i, brk in enumerate(cov.series_breaks):
        where = f"{src.path}:{src.line(('series_breaks', i))}: series break in {brk.year}"
        for kpi_id in brk.kpis:
            if kpi_id not in cov.kpis:
                problems.append(f"{where} for KPI '{kpi_id}', which is not in this covenant's kpis")
        if not cov.first_year < brk.year <= cov.last_year:
            problems.append(f"{where} must fall after the first year ({cov.first_year}) and "
                            f"not after the last year ({cov.last_year})")


def _load_dir(folder: Path, model: type[M], key: str, kind: str,
              sources: dict[str, Source], problems: list[str]) -> dict[str, M]:
    loaded: dict[str, M] = {}
    for path in sorted(folder.glob("*.yaml")):
        source = read_source(path)
        item = parse_model(model, source, problems)
        if item is None:
            continue
        ident = getattr(item, key)
        if ident != path.stem:
            problems.append(f"{path}:{source.line((key,))}: {key} '{ident}' differs from "
                            f"the file name; name the file {ident}.yaml")
        if ident in loaded:
            problems.append(f"{path}:{source.line((key,))}: duplicate {key} '{ident}'")
        loaded[ident] = item
        sources[f"{kind}:{ident}"] = source
    return loaded


def load_definitions(folder: Path) -> Definitions:
    """Load and validate fields.yaml, kpis/ and covenants/; raise one error listing all problems."""
    if not (folder / "fields.yaml").is_file():
        raise DefinitionError(f"no definitions in {folder}",
                              hint="set IMVO_DEFINITIONS_DIR to the kpi_definitions folder")
    problems: list[str] = []
    sources: dict[str, Source] = {}
    catalogue = parse_model(Catalogue, read_source(folder / "fields.yaml"), problems)
    kpis = _load_dir(folder / "kpis", KpiDefinition, "id", "kpi", sources, problems)
    covenants = _load_dir(folder / "covenants", Covenant, "slug", "covenant", sources, problems)
    if catalogue is not None and not problems:
        defs = Definitions(catalogue=catalogue, kpis=kpis, covenants=covenants)
        _check_references(defs, sources, problems)
        if not problems:
            return defs
    raise DefinitionError(
        f"{len(problems)} problem(s) in the definitions:\n" + "\n".join(problems),
        hint="fix the lines named above; the keys each file allows are in the README",
    )
