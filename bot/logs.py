"""Logging without personal data: phone numbers and e-mail addresses are masked in every
record, and lines are structured (time, level, logger, message)."""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
FORMAT = "%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"


def mask(text: str) -> str:
    return _PHONE.sub("[téléphone]", _EMAIL.sub("[e-mail]", text))


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format=FORMAT)
    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskPersonalData())
