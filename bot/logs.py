"""Logging without personal data, in one structured line format, for every process of Indy.

Masked in every record: phone numbers, e-mail addresses, the name after "je m'appelle",
"mon nom est", "moi c'est" (and that name in every later record of the process, e.g. the
entity or slot Rasa made of it; the last 200 names are remembered), and the values of the
slots that hold a name or a contact (`handoff_name`, `handoff_contact`, as Rasa prints them
at debug level). Limits: a name said
alone ("Sam", the answer to "Comment veux-tu qu'on t'appelle ?") or in another phrasing is not
recognised in free text; addresses and other identifying details are not masked.

Lines: `time level=... logger=... msg=...`, plus `key=value` for Sanic's access fields.
The masking is a log record factory, so it holds whatever handlers Rasa, rasa_sdk or Sanic
install. `kill -USR1 <pid>` toggles debug logs of a running process (see `setup`).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import signal
import sys

# Linear: a match starts only where a run of address characters starts (the lookbehind), and
# every part is bounded (RFC 5321: 64 before the @, 63 per label), so a long run without an @
# costs one pass, not one scan per position (which took 2 s at 20,000 characters).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_NAME = re.compile(
    r"(?i:\b(je m'?\s?appelle|j'm'appelle|mon (?:pr[ée]nom|nom) (?:c'est|est)|moi c'est))\s+"
    r"([^\s,.;!?'\"]+)(\s+[A-ZÀ-Ý][^\s,.;!?'\"]*)?")
_SLOT = re.compile(r"(\b(?:handoff_name|handoff_contact)['\"]?\s*[:=]\s*)"
                   r"(?!None\b|null\b)(['\"]?)([^\n'\"]+)")
FORMAT = "%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"
ACCESS_FIELDS = ("host", "request", "status", "byte")  # Sanic's access log extras
QUIET_LIBRARIES = ("urllib3", "asyncio", "matplotlib", "sqlalchemy", "filelock")


_recent_names: dict[str, None] = {}  # names seen lately in this process, oldest first
_recent_pattern: re.Pattern[str] | None = None
RECENT_NAMES = 200
MAX_MASKED_CHARS = 10_000  # a log line, a message in the review queue


def _remember(names: set[str]) -> None:
    global _recent_pattern
    fresh = [n for n in names if n not in _recent_names]
    if not fresh:
        return
    for name in fresh:
        _recent_names[name] = None
    while len(_recent_names) > RECENT_NAMES:
        del _recent_names[next(iter(_recent_names))]
    alternatives = "|".join(re.escape(n) for n in sorted(_recent_names, key=len, reverse=True))
    _recent_pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def mask(text: str) -> str:
    """`text` without personal data; cut at MAX_MASKED_CHARS first (bounded work)."""
    if len(text) > MAX_MASKED_CHARS:
        text = text[:MAX_MASKED_CHARS] + "… [tronqué]"
    text = _PHONE.sub("[téléphone]", _EMAIL.sub("[e-mail]", text))
    names = {w.strip() for m in _NAME.finditer(text) for w in m.group(2, 3) if w and w.strip()}
    text = _NAME.sub(lambda m: f"{m.group(1)} [prénom]", text)
    _remember({n for n in names if n != "[prénom]"})
    if _recent_pattern is not None:  # the name again: an entity, a slot, a later line
        text = _recent_pattern.sub("[prénom]", text)
    return _SLOT.sub(lambda m: f"{m.group(1)}{m.group(2)}[masqué]", text)


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class StructuredFormatter(logging.Formatter):
    """One line per record: newlines escaped, Sanic's access fields as key=value."""

    def __init__(self, fmt: str | None = None, datefmt: str | None = None, **_: object):
        super().__init__(FORMAT, datefmt)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = [f"{k}={getattr(record, k)}" for k in ACCESS_FIELDS if hasattr(record, k)]
        return " ".join([line, *extras]).replace("\n", "\\n")


_masking_installed = False


def install_masking() -> None:
    """Every log record created from now on in this process is masked (idempotent)."""
    global _masking_installed
    if _masking_installed:
        return
    previous = logging.getLogRecordFactory()

    def masked_record(*args, **kwargs) -> logging.LogRecord:  # noqa: ANN002, ANN003
        record = previous(*args, **kwargs)
        MaskPersonalData().filter(record)
        return record

    logging.setLogRecordFactory(masked_record)
    _masking_installed = True


def setup(level: int = logging.INFO, loggers: tuple[str, ...] = (),
          name: str | None = None) -> None:
    """Masking, and the structured format on the root logger (any handler installed before is
    replaced): to stderr, and with a process `name`, to `<var>/logs/<name>.log` as well
    (5 MB, 3 old files kept). `loggers` are set to `level` too (e.g. "rasa"); SIGUSR1
    switches them (else the root logger) between `level` and DEBUG."""
    install_masking()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if name:
        from bot.settings import get_settings

        folder = get_settings().var_dir / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            folder / f"{name}.log", maxBytes=5_000_000, backupCount=3, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(StructuredFormatter())
        handler.addFilter(MaskPersonalData())
        root.addHandler(handler)
    root.setLevel(level)
    for name in loggers:
        logging.getLogger(name).setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    _debug_on_signal(level, loggers or ("",))


def _debug_on_signal(level: int, names: tuple[str, ...]) -> None:
    if not hasattr(signal, "SIGUSR1"):
        return

    def toggle(signum, frame) -> None:  # noqa: ANN001, ARG001
        debug = logging.getLogger(names[0]).level != logging.DEBUG
        for name in names:
            logging.getLogger(name).setLevel(logging.DEBUG if debug else level)
        logging.getLogger(__name__).warning("debug logs %s", "on" if debug else "off")

    try:
        signal.signal(signal.SIGUSR1, toggle)
    except ValueError:  # not the main thread (tests): no toggle
        pass


def sanic_logging_config() -> None:
    """Sanic's own loggers (Rasa's server creates its app with Sanic's default logging
    config) without handlers of their own: their lines go through the root logger's."""
    from sanic.log import LOGGING_CONFIG_DEFAULTS

    for logger in LOGGING_CONFIG_DEFAULTS["loggers"].values():
        logger["handlers"] = []
        logger["propagate"] = True
