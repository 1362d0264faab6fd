"""The import page (``view``) over ``cptrack.casework.importing`` (an uploaded file, its dry
run, its import; no widgets)."""
