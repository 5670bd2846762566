"""Lets pydantic 1.10 run the pydantic 2 idioms that AWM environment code is written in.

Under pydantic 1, `model_config = ConfigDict(from_attributes=True)` is not config but a field that
leaks into every response as "model_config": {...}. `install()` turns such a class attribute into
the equivalent pydantic 1 `Config` and adds the pydantic 2 method names used by generated code.
Under pydantic 2 it does nothing.
"""

import inspect
import json

import pydantic

# pydantic 2 config key -> pydantic 1 Config attribute (keys absent here keep their name).
_CONFIG_KEYS = {
    "from_attributes": "orm_mode",
    "populate_by_name": "allow_population_by_field_name",
    "str_strip_whitespace": "anystr_strip_whitespace",
    "str_min_length": "min_anystr_length",
    "str_max_length": "max_anystr_length",
    "json_schema_extra": "schema_extra",
    "validate_default": "validate_all",
}


def install():
    if not pydantic.VERSION.startswith("1."):
        return
    _treat_model_config_as_config()
    _add_v2_methods(pydantic.BaseModel)
    pydantic.field_validator = field_validator
    pydantic.model_validator = model_validator
    pydantic.Field = pydantic.fields.Field = _field_accepting_v2_arguments(pydantic.fields.Field)


def _treat_model_config_as_config():
    metaclass = pydantic.main.ModelMetaclass
    original_new = metaclass.__new__

    def new(mcs, name, bases, namespace, **kwargs):
        v2_config = namespace.get("model_config")
        if isinstance(v2_config, dict):
            namespace = dict(namespace)
            del namespace["model_config"]
            namespace.get("__annotations__", {}).pop("model_config", None)
            attributes = {_CONFIG_KEYS.get(key, key): value for key, value in v2_config.items()}
            own_config = namespace.get("Config")
            namespace["Config"] = type("Config", (own_config,) if own_config else (), attributes)
        return original_new(mcs, name, bases, namespace, **kwargs)

    metaclass.__new__ = staticmethod(new)


def _add_v2_methods(base):
    def model_dump(self, *, mode="python", include=None, exclude=None, by_alias=False,
                   exclude_unset=False, exclude_defaults=False, exclude_none=False, **_ignored):
        options = dict(include=include, exclude=exclude, by_alias=by_alias, exclude_unset=exclude_unset,
                       exclude_defaults=exclude_defaults, exclude_none=exclude_none)
        return json.loads(self.json(**options)) if mode == "json" else self.dict(**options)

    def model_dump_json(self, *, indent=None, include=None, exclude=None, by_alias=False,
                        exclude_unset=False, exclude_defaults=False, exclude_none=False, **_ignored):
        return self.json(indent=indent, include=include, exclude=exclude, by_alias=by_alias,
                         exclude_unset=exclude_unset, exclude_defaults=exclude_defaults, exclude_none=exclude_none)

    def model_validate(cls, obj, **_ignored):
        if cls.__config__.orm_mode and not isinstance(obj, dict):
            return cls.from_orm(obj)
        return cls.parse_obj(obj)

    def model_validate_json(cls, data, **_ignored):
        return cls.parse_raw(data)

    def model_copy(self, *, update=None, deep=False):
        return self.copy(update=update, deep=deep)

    def model_json_schema(cls, by_alias=True, **_ignored):
        return cls.schema(by_alias=by_alias)

    base.model_dump = model_dump
    base.model_dump_json = model_dump_json
    base.model_validate = classmethod(model_validate)
    base.model_validate_json = classmethod(model_validate_json)
    base.model_copy = model_copy
    base.model_json_schema = classmethod(model_json_schema)


class _ValidationInfo:
    """The part of pydantic 2's ValidationInfo that validators read: the fields validated so far."""

    def __init__(self, data, field_name):
        self.data = data
        self.field_name = field_name


def field_validator(*fields, mode="after", check_fields=None):
    def decorate(function):
        plain = function.__func__ if isinstance(function, classmethod) else function
        wants_info = len(inspect.signature(plain).parameters) >= 3

        def validate(cls, value, values, field):
            return plain(cls, value, _ValidationInfo(values, field.name)) if wants_info else plain(cls, value)

        validate.__name__ = plain.__name__
        options = {"pre": mode in ("before", "plain"), "allow_reuse": True}
        if check_fields is not None:
            options["check_fields"] = check_fields
        return pydantic.validator(*fields, **options)(validate)

    return decorate


def model_validator(*, mode):
    def decorate(function):
        plain = function.__func__ if isinstance(function, classmethod) else function
        if mode == "before":
            def validate_before(cls, values):
                return plain(cls, values)
            validate_before.__name__ = plain.__name__
            return pydantic.root_validator(pre=True, allow_reuse=True)(validate_before)

        def validate_after(cls, values):
            instance = cls.construct(**values)
            result = plain(instance)
            return dict((result if result is not None else instance).__dict__)

        validate_after.__name__ = plain.__name__
        return pydantic.root_validator(skip_on_failure=True, allow_reuse=True)(validate_after)

    return decorate


def _field_accepting_v2_arguments(original_field):
    def field(*args, **kwargs):
        if "pattern" in kwargs:
            kwargs["regex"] = kwargs.pop("pattern")
        extra = kwargs.pop("json_schema_extra", None)
        if isinstance(extra, dict):
            kwargs.update(extra)
        return original_field(*args, **kwargs)

    return field
