"""HTML shared by the apps and the reports: the stylesheet and escaping helpers (``style``)
and the QA pages' static pieces (``qa``: heat map, tables, trend chart). No widgets here.
"""
