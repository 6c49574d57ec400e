"""Plain data for the files kept between runs: typed values (dataclasses, enums, dates, paths,
lists, mappings, YAML values) to JSON and back, checked against their declared types.

What is kept in `.git/sms-docs/` may come back from a CI cache that someone else wrote.
Reading it must never run code, as unpickling does, nor trust its shape: `from_plain`
rebuilds only the type it is asked for and raises ShapeError at the first value that does
not fit, and the caller then ignores the file. Usable for any store: give it the type.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from pathlib import Path

# What YAML's safe loader builds, for `object` fields (front-matter values): tagged when JSON
# has no such value, and mappings always as pairs, so a key like "$date" stays a key.
_TAGS = ("$date", "$datetime", "$bytes", "$set", "$tuple", "$map")


class ShapeError(ValueError):
    """Kept data that does not have the shape its type declares."""


def dumps(value: object, hint: object) -> bytes:
    """`value` (of type `hint`) as compact UTF-8 JSON; ShapeError when it holds a value no type allows."""
    return json.dumps(to_plain(value, hint), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes, hint: object) -> object:
    """The value of type `hint` that `dumps` wrote; ShapeError for anything else, whatever the bytes."""
    try:
        plain = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ShapeError(f"not JSON: {exc}") from exc
    try:
        return from_plain(plain, hint)
    except RecursionError as exc:
        raise ShapeError("nested too deep") from exc


def to_plain(value: object, hint: object) -> object:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is object:
        return _any_to_plain(value)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        arms = [arm for arm in args if arm is not type(None)]
        if len(arms) != 1:
            raise ShapeError(f"cannot keep a value of the union {hint}")
        return to_plain(value, arms[0])
    if dataclasses.is_dataclass(hint):
        hints = _field_hints(hint)  # type: ignore[arg-type]
        return {name: to_plain(getattr(value, name), field_hint) for name, field_hint in hints.items()}
    if isinstance(hint, type) and issubclass(hint, Enum):
        return value.value  # type: ignore[union-attr]
    if hint in (Path, date, datetime):
        return value.as_posix() if isinstance(value, Path) else value.isoformat()  # type: ignore[union-attr]
    if origin in (list, tuple, set, frozenset):
        items = list(value)  # type: ignore[call-overload]
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return [to_plain(item, arm) for item, arm in zip(items, args, strict=True)]
        return [to_plain(item, args[0]) for item in items]
    if origin is dict:
        key_hint, value_hint = args
        if key_hint is str:
            return {key: to_plain(item, value_hint) for key, item in value.items()}  # type: ignore[union-attr]
        return [[to_plain(key, key_hint), to_plain(item, value_hint)] for key, item in value.items()]  # type: ignore[union-attr]
    if hint in (str, int, float, bool, type(None)):
        return value
    raise ShapeError(f"cannot keep a value of type {hint}")


def from_plain(plain: object, hint: object) -> object:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is object:
        return _any_from_plain(plain)
    if origin in (typing.Union, types.UnionType):
        if plain is None and type(None) in args:
            return None
        arms = [arm for arm in args if arm is not type(None)]
        if len(arms) != 1:
            raise ShapeError(f"cannot read a value of the union {hint}")
        return from_plain(plain, arms[0])
    if dataclasses.is_dataclass(hint):
        hints = _field_hints(hint)  # type: ignore[arg-type]
        if not isinstance(plain, dict) or set(plain) != set(hints):
            raise ShapeError(f"not the fields of {hint.__name__}")  # type: ignore[union-attr]
        return hint(**{name: from_plain(plain[name], field_hint) for name, field_hint in hints.items()})  # type: ignore[operator]
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(plain)
        except ValueError as exc:
            raise ShapeError(f"{plain!r} is not a {hint.__name__}") from exc
    if hint in (Path, date, datetime):
        text = _typed(plain, str)
        if hint is Path:
            return Path(text)
        try:
            return hint.fromisoformat(text)  # type: ignore[union-attr]
        except ValueError as exc:
            raise ShapeError(f"{text!r} is not a {hint.__name__}") from exc  # type: ignore[union-attr]
    if origin in (list, tuple, set, frozenset):
        items = _typed(plain, list)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if len(items) != len(args):
                raise ShapeError(f"not {len(args)} values")
            return tuple(from_plain(item, arm) for item, arm in zip(items, args, strict=True))
        return origin(from_plain(item, args[0]) for item in items)
    if origin is dict:
        key_hint, value_hint = args
        if key_hint is str:
            return {_typed(key, str): from_plain(item, value_hint) for key, item in _typed(plain, dict).items()}
        pairs = [_typed(pair, list) for pair in _typed(plain, list)]
        if any(len(pair) != 2 for pair in pairs):
            raise ShapeError("not key-value pairs")
        return {from_plain(key, key_hint): from_plain(item, value_hint) for key, item in pairs}
    if hint is float and isinstance(plain, int) and not isinstance(plain, bool):
        return float(plain)
    if hint in (str, int, float, bool, type(None)):
        return _typed(plain, hint)  # type: ignore[arg-type]
    raise ShapeError(f"cannot read a value of type {hint}")


def _typed(plain: object, kind: type) -> typing.Any:
    # bool is an int to Python, not to us.
    if type(plain) is not kind:
        raise ShapeError(f"{type(plain).__name__} where {kind.__name__} was kept")
    return plain


@cache
def _field_hints(cls: type) -> dict[str, object]:
    hints = typing.get_type_hints(cls)
    return {field.name: hints[field.name] for field in dataclasses.fields(cls) if field.init}


def _any_to_plain(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_any_to_plain(item) for item in value]
    if isinstance(value, dict):
        return {"$map": [[_any_to_plain(key), _any_to_plain(item)] for key, item in value.items()]}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, set | frozenset):
        return {"$set": [_any_to_plain(item) for item in value]}
    if isinstance(value, tuple):
        return {"$tuple": [_any_to_plain(item) for item in value]}
    raise ShapeError(f"cannot keep a {type(value).__name__}")


def _any_from_plain(plain: object) -> object:
    if plain is None or type(plain) in (bool, int, float, str):
        return plain
    if isinstance(plain, list):
        return [_any_from_plain(item) for item in plain]
    if not isinstance(plain, dict) or len(plain) != 1 or next(iter(plain)) not in _TAGS:
        raise ShapeError("an untagged mapping")
    tag, content = next(iter(plain.items()))
    try:
        if tag == "$map":
            pairs = [_typed(pair, list) for pair in _typed(content, list)]
            if any(len(pair) != 2 for pair in pairs):
                raise ShapeError("not key-value pairs")
            return {_hashable(_any_from_plain(key)): _any_from_plain(item) for key, item in pairs}
        if tag == "$datetime":
            return datetime.fromisoformat(_typed(content, str))
        if tag == "$date":
            return date.fromisoformat(_typed(content, str))
        if tag == "$bytes":
            return base64.b64decode(_typed(content, str), validate=True)
        items = [_any_from_plain(item) for item in _typed(content, list)]
        return tuple(items) if tag == "$tuple" else {_hashable(item) for item in items}
    except ValueError as exc:  # bad dates and base64 (ShapeError is one too)
        raise ShapeError(f"bad {tag}: {exc}") from exc


def _hashable(value: object) -> object:
    try:
        hash(value)
    except TypeError as exc:
        raise ShapeError("a mapping key or set item that cannot be one") from exc
    return value
