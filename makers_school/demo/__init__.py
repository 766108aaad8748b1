"""Demo content for `manage.py load_demo`: texts, images and the loader itself.

The texts are data (Italian first, with English translations), not UI strings,
so they are not marked for translation.
"""
