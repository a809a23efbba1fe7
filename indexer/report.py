"""The result of an indexer run, and how the command prints it."""

from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class Rejection:
    """An input that could not be used, with its location and the reason."""

    path: str
    reason: str


@dataclass
class IndexReport:
    indexed: int = 0
    unchanged: int = 0
    deleted: int = 0
    not_consenting: int = 0
    pathways: int = 0
    credentials: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)

    def reject(self, path: str, reason: str) -> None:
        self.rejected.append(Rejection(path, reason))

    def warn(self, path: str, reason: str) -> None:
        self.warnings.append(Rejection(path, reason))


def print_report(report: IndexReport, console: Console | None = None) -> None:
    console = console or Console(stderr=False)
    console.print(
        f"indexed {report.indexed} learners ({report.unchanged} unchanged), "
        f"{report.credentials} credentials, {report.pathways} pathways; "
        f"removed {report.deleted} without consent; "
        f"{report.not_consenting} not consenting; "
        f"{len(report.rejected)} rejected inputs"
    )
    for title, rows in (("Warnings", report.warnings), ("Rejected", report.rejected)):
        if not rows:
            continue
        table = Table(title=title, show_lines=False)
        table.add_column("input", overflow="fold")
        table.add_column("reason", overflow="fold")
        for row in rows:
            table.add_row(row.path, row.reason)
        console.print(table)
