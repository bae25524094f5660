"""The demo's input: calibrated synthetic submissions, some with slips and later corrections."""

from dataclasses import dataclass, replace
from pathlib import Path

from imvo.definitions.models import Definitions
from pipelines.mistakes import with_slips
from pipelines.synthetic import generate, write_files


@dataclass(frozen=True)
class DemoFiles:
    """Where the demo's files are: the first round of submissions, then the corrections."""

    submissions: Path
    corrections: Path
    questionnaires: int


def write_demo_files(defs: Definitions, root: Path, *, seed: int = 2016) -> DemoFiles:
    """Write the member register, every member's questionnaires and the corrections."""
    data = generate(defs, seed=seed)
    first, corrections = with_slips(data.submissions, seed=seed)
    written = write_files(replace(data, submissions=first), root / "submissions", defs)
    fixed = write_files(replace(data, members=data.members.head(0), submissions=corrections),
                        root / "corrections", defs)
    return DemoFiles(root / "submissions", root / "corrections", len(written) + len(fixed))
