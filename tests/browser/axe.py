"""The automated accessibility check: axe-core (from npm, installed into var/node by
scripts/browser.sh, pinned there) injected into a page; serious and critical violations fail."""

from __future__ import annotations

from typing import Any

from models.settings import REPO_ROOT
from tests.browser.conftest import _missing

AXE_SCRIPT = REPO_ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
#: the impacts that fail a page (axe's others: minor, moderate)
FAILING_IMPACTS = ("serious", "critical")


def serious_violations(tab) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not AXE_SCRIPT.exists():
        _missing(f"axe-core at {AXE_SCRIPT} (run scripts/browser.sh: npm installs it)")
    if not tab.evaluate("() => typeof window.axe === 'object'"):
        tab.add_script_tag(path=str(AXE_SCRIPT))
    violations: list[dict[str, Any]] = tab.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in violations if v.get("impact") in FAILING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and one per element (its selector and what to fix)."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        for node in v["nodes"][:6]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:240]}")
    return "\n".join(lines)
