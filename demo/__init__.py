"""The demo school for `manage.py load_demo`: data files, pictures, a small loader.

The texts in demo/data/ are content (Italian first, with English translations),
not UI strings, so they are not marked for translation.
"""
