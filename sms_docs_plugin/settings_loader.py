"""Reads the `sms-docs` block of mkdocs.yml for the CLI, validated exactly as the build does."""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils.yaml import yaml_load

from .config import SmsDocsConfig
from .settings import Settings

PLUGIN_NAMES = ("sms-docs", "sms_docs")


class SetupError(Exception):
    """The library cannot be checked at all (exit code 2)."""


def load_settings(config_file: Path) -> Settings:
    if not config_file.is_file():
        raise SetupError(f"{config_file} not found; run sms-docs in the folder holding mkdocs.yml or pass -f")
    try:
        with config_file.open("rb") as stream:
            data = yaml_load(stream) or {}
    except Exception as exc:  # noqa: BLE001 - any YAML or tag error is a setup error for the author
        raise SetupError(f"{config_file} cannot be read: {exc}") from exc
    options = _plugin_options(data.get("plugins") if isinstance(data, dict) else None)
    config = SmsDocsConfig(config_file_path=str(config_file))
    config.load_dict(options)
    failed, _ = config.validate()
    if failed:
        problems = "; ".join(f"{key}: {error}" for key, error in failed)
        raise SetupError(f"{config_file}: invalid sms-docs options: {problems}")
    return config.to_settings(config_file.resolve().parent)


def _plugin_options(plugins: object) -> dict:
    """The options of our entry in `plugins`, which MkDocs allows as a list or a mapping."""
    entries = plugins.items() if isinstance(plugins, dict) else [
        next(iter(item.items())) if isinstance(item, dict) else (item, {}) for item in (plugins or [])
    ]
    for name, options in entries:
        if name in PLUGIN_NAMES:
            return dict(options or {})
    return {}
