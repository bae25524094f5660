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
    fields = defs.catalogue.ids()
    for kpi in defs.kpis.values():
        src = sources[f"kpi:{kpi.id}"]
        for name in sorted(kpi.fields() - fields):
            problems.append(f"{src.path}:{src.line(())}: unknown field '{name}' in KPI '{kpi.id}'")
    for cov in defs.covenants.values():
        _check_covenant(cov, defs, sources[f"covenant:{cov.slug}"], problems)


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
