"""Reads the `sms-docs` block of mkdocs.yml for the CLI, validated exactly as the build does."""

from __future__ import annotations

from dataclasses import replace
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
    if not isinstance(data, dict):
        raise SetupError(f"{config_file} must be a mapping of settings such as `site_name: ...`")
    options = _plugin_options(data.get("plugins"))
    if not isinstance(options, dict):
        raise SetupError(f"{config_file}: the sms-docs options must be a mapping such as `severity: {{SMS208: error}}`")
    config = SmsDocsConfig(config_file_path=str(config_file))
    config.load_dict(options)
    try:
        failed, _ = config.validate()
    except Exception as exc:  # noqa: BLE001 - an option of the wrong shape must not end in a traceback
        raise SetupError(f"{config_file}: invalid sms-docs options: {exc}") from exc
    if failed:
        problems = "; ".join(f"{key}: {error}" for key, error in failed)
        raise SetupError(f"{config_file}: invalid sms-docs options: {problems}")
    settings = config.to_settings(config_file.resolve().parent)
    docs_dir = data.get("docs_dir", "docs")
    return replace(settings, docs_dir=docs_dir) if isinstance(docs_dir, str) else settings


def _plugin_options(plugins: object) -> object:
    """The options of our entry in `plugins`, which MkDocs allows as a list or a mapping."""
    entries = plugins.items() if isinstance(plugins, dict) else [
        next(iter(item.items())) if isinstance(item, dict) else (item, {}) for item in (plugins or [])
    ]
    for name, options in entries:
        if name in PLUGIN_NAMES:
            return {} if options is None else options
    return {}
