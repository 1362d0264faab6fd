"""The import page: a file uploaded, checked by a dry run, then imported (``model``, ``view``)."""
