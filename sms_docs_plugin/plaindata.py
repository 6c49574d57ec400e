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
    return _writer(hint)(value)


def from_plain(plain: object, hint: object) -> object:
    return _reader(hint)(plain)


Convert = typing.Callable[[typing.Any], typing.Any]


@cache
def _writer(hint: object) -> Convert:
    """The function that writes values of type `hint`, built once per type: stores hold
    thousands of values of a few types."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is object:
        return _any_to_plain
    if origin in (typing.Union, types.UnionType):
        arm = _single_arm(hint, args)
        write_arm = _writer(arm)
        return lambda value: None if value is None else write_arm(value)
    if dataclasses.is_dataclass(hint):
        fields = [(name, _writer(field_hint)) for name, field_hint in _field_hints(hint).items()]  # type: ignore[arg-type]
        return lambda value: {name: write(getattr(value, name)) for name, write in fields}
    if isinstance(hint, type) and issubclass(hint, Enum):
        return lambda value: value.value
    if hint is Path:
        return lambda value: value.as_posix()
    if hint in (date, datetime):
        return lambda value: value.isoformat()
    if origin in (list, tuple, set, frozenset):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            arms = [_writer(arm) for arm in args]
            return lambda value: [write(item) for item, write in zip(value, arms, strict=True)]
        write_item = _writer(args[0])
        return lambda value: [write_item(item) for item in value]
    if origin is dict:
        write_key, write_value = _writer(args[0]), _writer(args[1])
        if args[0] is str:
            return lambda value: {key: write_value(item) for key, item in value.items()}
        return lambda value: [[write_key(key), write_value(item)] for key, item in value.items()]
    if hint in (str, int, float, bool, type(None)):
        return lambda value: value
    raise ShapeError(f"cannot keep a value of type {hint}")


@cache
def _reader(hint: object) -> Convert:
    """The function that reads back, and checks, values of type `hint`."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is object:
        return _any_from_plain
    if origin in (typing.Union, types.UnionType):
        read_arm = _reader(_single_arm(hint, args))
        return lambda plain: None if plain is None else read_arm(plain)
    if dataclasses.is_dataclass(hint):
        return _dataclass_reader(hint)  # type: ignore[arg-type]
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum_reader(hint)
    if hint is Path:
        return lambda plain: Path(_typed(plain, str))
    if hint in (date, datetime):
        return _iso_reader(hint)  # type: ignore[arg-type]
    if origin in (list, tuple, set, frozenset):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return _tuple_reader([_reader(arm) for arm in args])
        read_item = _reader(args[0])
        return lambda plain: origin(read_item(item) for item in _typed(plain, list))
    if origin is dict:
        read_key, read_value = _reader(args[0]), _reader(args[1])
        if args[0] is str:
            return lambda plain: {_typed(key, str): read_value(item) for key, item in _typed(plain, dict).items()}
        return lambda plain: {read_key(key): read_value(item) for key, item in _pairs(plain)}
    if hint is float:
        return lambda plain: float(plain) if type(plain) is int else _typed(plain, float)
    if hint in (str, int, bool, type(None)):
        return lambda plain: _typed(plain, hint)  # type: ignore[arg-type]
    raise ShapeError(f"cannot read a value of type {hint}")


def _single_arm(hint: object, args: tuple[object, ...]) -> object:
    arms = [arm for arm in args if arm is not type(None)]
    if len(arms) != 1 or type(None) not in args:
        raise ShapeError(f"only `X | None` unions can be kept, not {hint}")
    return arms[0]


def _dataclass_reader(cls: type) -> Convert:
    fields = [(name, _reader(field_hint)) for name, field_hint in _field_hints(cls).items()]
    names = {name for name, _ in fields}

    def read(plain: object) -> object:
        if not isinstance(plain, dict) or plain.keys() != names:
            raise ShapeError(f"not the fields of {cls.__name__}")
        return cls(**{name: read_field(plain[name]) for name, read_field in fields})

    return read


def _enum_reader(kind: type[Enum]) -> Convert:
    def read(plain: object) -> object:
        try:
            return kind(plain)
        except ValueError as exc:
            raise ShapeError(f"{plain!r} is not a {kind.__name__}") from exc

    return read


def _iso_reader(kind: type[date]) -> Convert:
    def read(plain: object) -> object:
        try:
            return kind.fromisoformat(_typed(plain, str))
        except ValueError as exc:  # ShapeError is one too
            raise ShapeError(f"{plain!r} is not a {kind.__name__}") from exc

    return read


def _tuple_reader(arms: list[Convert]) -> Convert:
    def read(plain: object) -> object:
        items = _typed(plain, list)
        if len(items) != len(arms):
            raise ShapeError(f"not {len(arms)} values")
        return tuple(read_arm(item) for item, read_arm in zip(items, arms, strict=True))

    return read


def _pairs(plain: object) -> list[list[object]]:
    pairs = [_typed(pair, list) for pair in _typed(plain, list)]
    if any(len(pair) != 2 for pair in pairs):
        raise ShapeError("not key-value pairs")
    return pairs


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
            return {_hashable(_any_from_plain(key)): _any_from_plain(item) for key, item in _pairs(content)}
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
