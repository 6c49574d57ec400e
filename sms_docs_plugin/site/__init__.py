"""Page generators: document panels and the library-wide pages, rendered from Jinja templates."""
