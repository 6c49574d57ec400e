"""Reads the `sms-docs` block of mkdocs.yml for the CLI, without MkDocs, validated by options.py.

MkDocs reads mkdocs.yml with PyYAML's full loader, which runs `!!python/...` tags. This
reads it safely, as MkDocs would for everything the CLI needs: `!ENV` gives the value of
an environment variable, `INHERIT` merges a parent file, and any other tag (Material's
`!!python/name:` emoji functions, `!relative`) is kept as an opaque value, never run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from .options import OptionsError, describe, read_options
from .settings import Settings

PLUGIN_NAME = "sms-docs"


class SetupError(Exception):
    """The library cannot be checked at all (exit code 2)."""


def load_settings(config_file: Path) -> Settings:
    data = read_mkdocs_yml(config_file)
    options = _plugin_options(data.get("plugins"), config_file)
    root = config_file.resolve().parent
    docs_dir = root / _folder(data, "docs_dir", "docs", config_file)
    site_dir = root / _folder(data, "site_dir", "site", config_file)
    try:
        return read_options(options, root, docs_dir, site_dir)
    except OptionsError as exc:
        raise SetupError(describe(exc.problems, str(config_file))) from exc


def read_mkdocs_yml(config_file: Path, inheriting: tuple[Path, ...] = ()) -> dict[object, object]:
    """The configuration as MkDocs sees it, parents named by `INHERIT` merged in."""
    if not config_file.is_file():
        if inheriting:
            raise SetupError(f"{inheriting[-1]}: the inherited file {config_file} does not exist")
        raise SetupError(f"{config_file} not found; run sms-docs in the folder holding mkdocs.yml or pass -f")
    try:
        data = yaml.load(config_file.read_bytes(), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError, RecursionError) as exc:
        raise SetupError(f"{config_file} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise SetupError(f"{config_file} must be a mapping of settings such as `site_name: ...`")
    parent = data.pop("INHERIT", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise SetupError(f"{config_file}: INHERIT must name a file, such as `INHERIT: base.yml`")
    parent_file = (config_file.parent / parent).resolve()
    if parent_file in inheriting or parent_file == config_file.resolve():
        raise SetupError(f"{config_file}: INHERIT leads back to {parent_file}, which inherits this file")
    return _merged(read_mkdocs_yml(parent_file, (*inheriting, config_file.resolve())), data)


@dataclass(frozen=True)
class Tagged:
    """A value under a tag only MkDocs or Python code could give meaning to."""

    tag: str


class _Loader(yaml.SafeLoader):
    pass


def _environment(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`, as MkDocs (pyyaml-env-tag) reads it."""
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
        if len(children) > 1:
            default = loader.construct_object(children[-1])
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children]
    else:
        raise yaml.constructor.ConstructorError(None, None, f"!ENV expects a name or a list, not a {node.id}", node.start_mark)
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _opaque(loader: yaml.SafeLoader, node: yaml.Node) -> Tagged:
    return Tagged(node.tag)


_Loader.add_constructor("!ENV", _environment)
_Loader.add_constructor(None, _opaque)


def _merged(parent: dict[object, object], child: Mapping[object, object]) -> dict[object, object]:
    """MkDocs' INHERIT merge: mappings merge key by key, anything else is replaced."""
    merged = dict(parent)
    for key, value in child.items():
        old = merged.get(key)
        merged[key] = _merged(old, value) if isinstance(old, dict) and isinstance(value, Mapping) else value
    return merged


def _plugin_options(plugins: object, config_file: Path) -> object:
    """The options of our entry in `plugins`, which MkDocs allows as a list or a mapping."""
    if plugins is None:
        return {}
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    elif isinstance(plugins, list):
        entries = [next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, {}) for item in plugins]
    else:
        raise SetupError(f"{config_file}: `plugins` must be a list such as `[search, sms-docs]`")
    for name, options in entries:
        # A leading / asks MkDocs not to look for a theme's plugin of that name.
        if isinstance(name, str) and name.removeprefix("/") == PLUGIN_NAME:
            return _enabled_options(options or {}, config_file)  # MkDocs reads `sms-docs:` with no value as no options
    return {}


def _enabled_options(options: object, config_file: Path) -> object:
    """MkDocs takes `enabled` for itself before the plugin sees its options; so do we."""
    if isinstance(options, dict) and "enabled" in options:
        options = dict(options)
        if not isinstance(options.pop("enabled"), bool):
            raise SetupError(f"{config_file}: invalid sms-docs options:\n  enabled: expected true or false")
    return options


def _folder(data: Mapping[object, object], key: str, default: str, config_file: Path) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise SetupError(f"{config_file}: `{key}` must be a folder name, such as `{default}`")
    return value
