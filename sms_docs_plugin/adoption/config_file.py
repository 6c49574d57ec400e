"""mkdocs.yml as `adopt` needs it: written when missing; otherwise completed line by line,
so the author's comments, order and tags (`!ENV`, `!!python/name:`) stay as they were."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

PLUGIN_NAMES = ("sms-docs", "sms_docs")
DEFAULT_DOCS_DIR = "docs"  # MkDocs' own default, when mkdocs.yml names none


@dataclass(frozen=True)
class Extension:
    name: str
    options: dict[str, object] | None
    pattern: re.Pattern[str]  # searched in the documents' prose, or their whole body when `in_code`
    what: str
    in_code: bool = False


# The Markdown the documents use beyond MkDocs' defaults (toc, tables and fenced code are always on).
EXTENSIONS = (
    Extension("admonition", None, re.compile(r"^[ \t]*!!![ \t]+\w", re.M), "admonitions (`!!! note`)"),
    Extension("pymdownx.details", None, re.compile(r"^[ \t]*\?\?\?\+?[ \t]+\w", re.M), "collapsible blocks (`??? note`)"),
    # Content tabs, and fenced code inside a list item or an admonition, need SuperFences.
    Extension("pymdownx.superfences", None, re.compile(r"^[ \t]*===\+?[ \t]+\"|^[ \t]+(?:```|~~~)", re.M),
              "fenced code in lists, admonitions or tabs", in_code=True),
    Extension("pymdownx.tabbed", {"alternate_style": True}, re.compile(r"^[ \t]*===\+?[ \t]+\"", re.M), "content tabs (`=== \"Tab\"`)"),
    Extension("tables", None, re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|", re.M), "tables"),
    Extension("footnotes", None, re.compile(r"\[\^[^\]\s]+\]"), "footnotes (`[^1]`)"),
    Extension("attr_list", None, re.compile(r"\{:?[ \t]*[#.][A-Za-z][^}\n]*\}"), "attribute lists (`{#id}`, `{.class}`)"),
    Extension("def_list", None, re.compile(r"^:[ \t]{1,3}\S", re.M), "definition lists (`:   definition`)"),
    Extension("abbr", None, re.compile(r"^\*\[[^\]\n]+\]:", re.M), "abbreviations (`*[ISMS]: ...`)"),
    Extension("pymdownx.tasklist", None, re.compile(r"^[ \t]*[-*+][ \t]+\[[ xX]\][ \t]", re.M), "task lists (`- [ ]`)"),
    Extension("pymdownx.tilde", None, re.compile(r"~~[^~\s][^~\n]*~~"), "strike-through (`~~text~~`)"),
)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags: a tagged value is read as if untagged."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


_TolerantLoader.add_multi_constructor("!", _untagged)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


class ConfigError(Exception):
    """mkdocs.yml cannot be read; adopt changes nothing."""


def read_config(text: str) -> dict[str, object]:
    try:
        data = yaml.load(text, Loader=_TolerantLoader)  # noqa: S506 - a safe loader that also ignores tags
    except yaml.YAMLError as exc:
        raise ConfigError(f"mkdocs.yml is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError("mkdocs.yml must be a mapping of settings such as `site_name: ...`")
    return data


def plugin_options(config: dict[str, object]) -> dict[str, object] | None:
    """Our entry's options in `plugins` (a list or a mapping); None when we are not listed."""
    for name, options in _plugin_entries(config.get("plugins")):
        if name in PLUGIN_NAMES:
            return options if isinstance(options, dict) else {}
    return None


def _plugin_entries(plugins: object) -> list[tuple[str, object]]:
    if isinstance(plugins, dict):
        return [(str(k), v) for k, v in plugins.items()]
    if isinstance(plugins, list):
        entries = []
        for item in plugins:
            if isinstance(item, dict) and len(item) == 1:
                entries.append(next((str(k), v) for k, v in item.items()))
            elif isinstance(item, str):
                entries.append((item, None))
        return entries
    return []


def extension_names(config: dict[str, object]) -> set[str]:
    found = config.get("markdown_extensions") or []
    if isinstance(found, dict):
        return {str(name) for name in found}
    if not isinstance(found, list):
        return set()
    return {str(next(iter(item))) if isinstance(item, dict) and item else str(item) for item in found}


def new_config(site_name: str, docs_dir: str, templates: str | None, extensions: list[Extension]) -> str:
    plugin: object = {"sms-docs": {"templates": templates}} if templates else "sms-docs"
    config = {
        "site_name": site_name,
        "docs_dir": docs_dir,
        "theme": {"name": "material", "font": False, "features": ["navigation.indexes", "navigation.prune"]},
        "plugins": ["search", plugin],
        "markdown_extensions": [{"toc": {"permalink": True}}, *(_entry(extension) for extension in extensions)],
    }
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True, default_flow_style=False, indent=2)


def _entry(extension: Extension) -> object:
    return {extension.name: dict(extension.options)} if extension.options else extension.name


def completed_config(text: str, config: dict[str, object], templates: str | None, extensions: list[Extension]) -> str:
    """`text` with our plugin (and its `templates` option) and the missing extensions added."""
    lines = text.split("\n")
    options = plugin_options(config)
    if options is None or (templates and "templates" not in options):
        lines = _with_plugin(lines, config, templates)
    missing = [e for e in extensions if e.name not in extension_names(config)]
    if missing:
        lines = _with_extensions(lines, config, missing)
    return "\n".join(lines)


def _with_plugin(lines: list[str], config: dict[str, object], templates: str | None) -> list[str]:
    block = _block(lines, "plugins")
    plugins = config.get("plugins")
    entry = ["- sms-docs:", "    templates: " + _scalar(templates)] if templates else ["- sms-docs"]
    if block is None or plugins is None:
        return _append(lines, ["plugins:", "  - search", *("  " + line for line in entry)])
    start, end = block
    if not isinstance(plugins, list) or lines[start].split(":", 1)[1].strip():
        return _redump(lines, block, "plugins", _plugins_with_us(plugins, templates))
    indent = _item_indent(lines, start, end)
    for index in range(start + 1, end):
        item = re.match(rf"^{indent}- *(?:sms[-_]docs)[ \t]*(:?)[ \t]*(.*)$", lines[index])
        if item is None:
            continue
        if item.group(2) and not item.group(2).startswith("#"):  # options written inline: `- sms-docs: {...}`
            return _redump(lines, block, "plugins", _plugins_with_us(plugins, templates))
        if not item.group(1):  # `- sms-docs` with no options
            return lines[:index] + [indent + line for line in entry] + lines[index + 1 :]
        option = next((line for line in lines[index + 1 : end] if line.strip() and not line.strip().startswith("#")), "")
        option_indent = re.match(r"^[ \t]*", option).group(0) if option.startswith(indent + "  ") else indent + "    "
        return lines[: index + 1] + [f"{option_indent}templates: {_scalar(templates)}"] + lines[index + 1 :]
    last = _last_content(lines, start, end)
    return lines[: last + 1] + [indent + line for line in entry] + lines[last + 1 :]


def _plugins_with_us(plugins: object, templates: str | None) -> object:
    ours = {"templates": templates} if templates else {}
    if isinstance(plugins, dict):
        merged = dict(plugins)
        current = next((name for name in merged if name in PLUGIN_NAMES), "sms-docs")
        merged[current] = {**(merged.get(current) or {}), **ours}
        return merged
    items = [item for item in (plugins or []) if _name(item) not in PLUGIN_NAMES]
    current = next((item for item in (plugins or []) if _name(item) in PLUGIN_NAMES), None)
    options = dict(next(iter(current.values())) or {}) if isinstance(current, dict) else {}
    options.update(ours)
    return [*items, {"sms-docs": options} if options else "sms-docs"]


def _name(item: object) -> str:
    return str(next(iter(item))) if isinstance(item, dict) and item else str(item)


def _with_extensions(lines: list[str], config: dict[str, object], missing: list[Extension]) -> list[str]:
    block = _block(lines, "markdown_extensions")
    current = config.get("markdown_extensions")
    if block is None or not current:
        if block is not None:
            lines = lines[: block[0]] + lines[block[1] :]
        return _append(lines, ["markdown_extensions:", *_entry_lines("  ", missing)])
    start, end = block
    if not isinstance(current, list) or lines[start].split(":", 1)[1].strip():
        extended = [*current, *map(_entry, missing)] if isinstance(current, list) else {
            **current, **{e.name: e.options for e in missing}
        }
        return _redump(lines, block, "markdown_extensions", extended)
    indent = _item_indent(lines, start, end)
    last = _last_content(lines, start, end)
    return lines[: last + 1] + _entry_lines(indent, missing) + lines[last + 1 :]


def _entry_lines(indent: str, extensions: list[Extension]) -> list[str]:
    lines = []
    for extension in extensions:
        if extension.options:
            lines.append(f"{indent}- {extension.name}:")
            lines += [f"{indent}    {key}: {_scalar(value)}" for key, value in extension.options.items()]
        else:
            lines.append(f"{indent}- {extension.name}")
    return lines


def _block(lines: list[str], key: str) -> tuple[int, int] | None:
    """(line of `key:`, line after its block) for a top-level key."""
    for start, line in enumerate(lines):
        if re.match(rf"^{re.escape(key)}[ \t]*:", line):
            end = start + 1
            while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#-"):
                end += 1
            return start, end
    return None


def _item_indent(lines: list[str], start: int, end: int) -> str:
    for line in lines[start + 1 : end]:
        item = re.match(r"^([ \t]*)- ", line)
        if item:
            return item.group(1)
    return "  "


def _last_content(lines: list[str], start: int, end: int) -> int:
    last = start
    for index in range(start + 1, end):
        if lines[index].strip() and not lines[index].lstrip().startswith("#"):
            last = index
    return last


def _append(lines: list[str], block: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return [*lines, *block, ""]


def _redump(lines: list[str], block: tuple[int, int], key: str, value: object) -> list[str]:
    """A block written in flow style, or as a mapping, is written again in block style."""
    dumped = yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, default_flow_style=False, indent=2)
    start, end = block
    last = _last_content(lines, start, end)
    return lines[:start] + dumped.rstrip("\n").split("\n") + lines[last + 1 :]


def _scalar(value: object) -> str:
    return yaml.safe_dump(value, default_flow_style=True).removesuffix("\n...\n").strip()
