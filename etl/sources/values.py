"""Defensive readers of upstream JSON values: wrong types become empty or None, never errors,
so a malformed field degrades to a missing one and only missing essentials quarantine."""

from __future__ import annotations

from typing import Any


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def as_text(value: Any) -> str | None:
    """Stripped text, None when absent or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def as_str_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def as_int(value: Any) -> int | None:
    """An integer from an int, an integral float or a string of digits (sign allowed)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None
