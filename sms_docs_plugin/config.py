"""The `sms-docs` block of mkdocs.yml as MkDocs sees it: taken as written, checked by options.py.

MkDocs' own option classes would check types in their own words and only warn about an
unknown option. The plugin hands the block to options.py when the build starts instead,
so `mkdocs build` refuses exactly what `sms-docs check` refuses, in the same words.
"""

from __future__ import annotations

from mkdocs.config.base import Config, ConfigErrors, ConfigWarnings


class SmsDocsConfig(Config):
    def validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        return [], []  # options.read_options, called from on_config, checks every option
