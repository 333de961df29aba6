"""What the connectors share: credentials from the environment, text clipping, record checks."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import Any

from bot.catalogue.records import TEXT_LIMITS, OfferRecord, RecordError, record_from_mapping

from .http import ConnectorError

log = logging.getLogger("bot.catalogue.connectors")


def env_value(env: Mapping[str, str] | None, name: str, default: str | None = None) -> str | None:
    value = (os.environ if env is None else env).get(name, "")
    value = value.strip() if isinstance(value, str) else ""
    return value or default


def require_env(env: Mapping[str, str] | None, name: str, api: str, how: str) -> str:
    value = env_value(env, name)
    if not value:
        raise ConnectorError(
            f"{api} : la variable d'environnement {name} est absente ou vide. {how}",
            api=api,
        )
    return value


def clip(text: Any, limit: int) -> str:
    """Text trimmed to `limit` characters, cut on a word with an ellipsis when too long."""
    text = "" if text is None else str(text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def join_lines(*parts: Any, sep: str = "\n") -> str:
    return sep.join(str(p).strip() for p in parts if p is not None and str(p).strip())


def dig(data: Any, *path: str | int, default: Any = None) -> Any:
    """data["a"]["b"][0]... or `default` when any step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(data, list) or not -len(data) <= step < len(data):
                return default
            data = data[step]
        else:
            if not isinstance(data, dict) or step not in data:
                return default
            data = data[step]
    return default if data is None else data


def https_url(value: Any) -> str | None:
    text = str(value or "").strip()
    return text if text.startswith(("https://", "http://")) else None


_POSTCODE_CITY = re.compile(r"\b(\d{5})\s+([^\d,]+?)\s*$")


def city_from_address(label: str) -> tuple[str | None, str | None]:
    """("63300", "Thiers") from "12 rue de la Gare 63300 Thiers"; (None, None) if not found."""
    match = _POSTCODE_CITY.search(label or "")
    if not match:
        return None, None
    return match.group(1), match.group(2).strip(" -")


def build_record(row: dict[str, Any], extra: dict[str, Any], api: str) -> OfferRecord | None:
    """Checks a mapped row with `record_from_mapping`; a bad row is logged and skipped."""
    for name, limit in TEXT_LIMITS.items():
        if name in row and row[name] is not None and name not in ("source", "source_id", "url"):
            row[name] = clip(row[name], limit)
    if row.get("url") and len(str(row["url"])) > TEXT_LIMITS["url"]:
        extra = {**extra, "long_url": row["url"]}  # too long for the catalogue, kept aside
        row["url"] = None
    try:
        record = record_from_mapping(row)
    except RecordError as error:
        log.warning("%s : offre %s ignorée (%s)", api, row.get("source_id") or "?", error)
        return None
    record.extra = {k: v for k, v in extra.items() if v not in (None, "", [], {})}
    return record


def expect_type(data: Any, kind: type, api: str, what: str) -> Any:
    if not isinstance(data, kind):
        name = {list: "une liste", dict: "un objet"}.get(kind, kind.__name__)
        raise ConnectorError(
            f"{api} : réponse inattendue pour {what} (attendu : {name} JSON, reçu : "
            f"{type(data).__name__}). Le format de l'API a peut-être changé : le connecteur "
            f"doit être mis à jour.",
            api=api,
        )
    return data
