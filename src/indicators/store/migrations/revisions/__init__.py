"""The revisions of the store's schema, one file each, oldest first (see ../__init__.py)."""
