"""`sms-docs adopt`: an existing folder of Markdown policies, processes and procedures made
a library (SPEC §6).

Plain Python like the rest of the core: `plan_adoption` reads the folder and decides
everything (which files are documents, their types, ids, parents and front matter, where
they belong, the templates their headings make, the Markdown extensions and mkdocs.yml
they need) and says why for each guess; `apply_adoption` carries the plan out. The CLI
only parses the arguments and prints the plan.

- `sources.py`: which Markdown files are documents, and what each one says now;
- `guesses.py`: types, ids, titles, owners and parents, each with its reason;
- `links.py`: links between documents, and links rewritten when files move;
- `templates.py`: the sections every document of a type shares, as its template;
- `config_file.py`: mkdocs.yml written or completed, keeping what the author wrote;
- `plan.py`: the whole plan, and carrying it out.
"""

from .plan import Adoption, apply_adoption, plan_adoption

__all__ = ["Adoption", "apply_adoption", "plan_adoption"]
