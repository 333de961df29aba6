"""The Rasa server and the action server, started with Indy's logging (bot/logs.py): personal
data masked, one structured line format. `python -m bot rasa run ...` takes `rasa`'s own
arguments; `python -m bot actions ...` takes `python -m rasa_sdk`'s.

Rasa 3.6 has a `--logging-config-file` (a dictConfig), but then installs coloredlogs on the
root logger, which replaces a handler configured that way; rasa_sdk's own option skips its
colour handler but not Sanic's. So both are wrapped here instead.
"""

from __future__ import annotations

import logging
import os
import sys

from bot import logs


def _level(value: int | str | None) -> int:
    if value is None:
        value = os.environ.get("LOG_LEVEL", "INFO")
    if isinstance(value, str):
        value = logging.getLevelName(value.upper())
    return value if isinstance(value, int) else logging.INFO


def _log_name(kind: str, args: list[str]) -> str:
    """var/logs/<kind>.log; in production, where replicas run side by side, one per port."""
    if os.environ.get("INDY_PROFILE") == "production" and "--port" in args[:-1]:
        return f"{kind}-{args[args.index('--port') + 1]}"
    return kind


def rasa(args: list[str]) -> int:
    logs.install_masking()
    logs.sanic_logging_config()
    import rasa.utils.io

    def configure(loglevel: int | str | None) -> None:
        logs.setup(_level(loglevel), loggers=("rasa", "bot"), name=_log_name("rasa", args))

    rasa.utils.io.configure_colored_logging = configure  # instead of coloredlogs
    import rasa.core.run

    from bot.channels import surface

    configure_app = rasa.core.run.configure_app

    def published_channels_only(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        """Rasa's app, publishing only socket.io beyond loopback (bot/channels/surface.py)."""
        app = configure_app(*args, **kwargs)
        surface.install(app)
        return app

    rasa.core.run.configure_app = published_channels_only
    import rasa.__main__
    import structlog

    configure_structlog = rasa.__main__.configure_structlog

    def structlog_follows_levels(log_level: int | None = None) -> None:
        """Rasa's structlog events (some hold the user's text) go through the standard
        loggers, hence the masking; their level follows the loggers' (SIGUSR1 included)."""
        configure_structlog(log_level)
        structlog.configure(wrapper_class=structlog.stdlib.BoundLogger)

    rasa.__main__.configure_structlog = structlog_follows_levels
    from bot import rasa_patches

    rasa_patches.apply()  # where Rasa 3.6 itself is slow (bot/rasa_patches.py)
    sys.argv = ["rasa", *args]
    rasa.__main__.main()
    return 0


def actions(args: list[str]) -> int:
    logs.install_masking()
    from rasa_sdk import endpoint, utils

    parsed = endpoint.create_argument_parser().parse_args(args)
    logs.setup(_level(parsed.loglevel), loggers=("rasa_sdk", "actions", "bot"),
               name=_log_name("actions", args))
    utils.update_sanic_log_level()
    endpoint.run(parsed.actions, parsed.port, parsed.cors, parsed.ssl_certificate,
                 parsed.ssl_keyfile, parsed.ssl_password, parsed.auto_reload)
    return 0
