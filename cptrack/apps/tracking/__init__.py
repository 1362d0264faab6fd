"""The case-tracking app: ``view`` (the ipywidgets page) and ``chart`` (the timeline) over
``cptrack.casework.tracking`` (the dashboard, a child's file, the record; no widgets)."""
