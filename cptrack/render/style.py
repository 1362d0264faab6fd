"""Shared look of the apps and static pages: one stylesheet, and escaping helpers.

Everything shown that came from a user or a database passes through ``esc``: free text in
case records is never trusted as HTML.
"""

from __future__ import annotations

import html
from typing import Any

CSS = """
<style>
.cpt { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #1b1b1b;
       font-size: 15px; line-height: 1.45; max-width: 1200px; }
.cpt h1 { font-size: 26px; margin: 0 0 4px 0; }
.cpt h2 { font-size: 20px; margin: 22px 0 8px 0; }
.cpt .sub { color: #505a5f; margin: 0 0 16px 0; }
.cpt table.grid { border-collapse: collapse; width: 100%; margin: 6px 0 14px 0;
                  table-layout: auto; }
.cpt table.grid th { text-align: left !important; background: #f3f2f1; border-bottom: 2px solid #b1b4b6;
                     padding: 6px 10px; font-weight: 700; }
.cpt table.grid td { border-bottom: 1px solid #dcdcdc; padding: 6px 10px; vertical-align: top;
                     text-align: left !important; }
.cpt table.grid td.num, .cpt table.grid th.num { text-align: right !important;
                     font-variant-numeric: tabular-nums; }
.cpt table.grid tr.total td { font-weight: 700; border-top: 2px solid #b1b4b6; }
.cpt .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0 16px 0; }
.cpt .card { border: 1px solid #b1b4b6; border-left: 6px solid #1d70b8; padding: 10px 14px;
             width: 260px; border-radius: 3px; background: #fff; }
.cpt .card a { font-weight: 700; font-size: 17px; color: #1d70b8; }
.cpt .card p { margin: 6px 0 0 0; color: #333; }
.cpt .card .who { color: #505a5f; font-size: 13px; margin-top: 6px; }
.cpt .notice { border-left: 6px solid #d4351c; padding: 8px 12px; background: #fdf2f0; }
.cpt .note { color: #505a5f; font-size: 13px; }
.cpt .tag { display: inline-block; padding: 1px 8px; border-radius: 3px; font-weight: 700;
            font-size: 13px; white-space: nowrap; }
.cpt .tag.red { background: #d4351c; color: #fff; }
.cpt .tag.amber { background: #ffdd00; color: #0b0c0c; }
.cpt .tag.green { background: #00703c; color: #fff; }
.cpt .tag.grey { background: #dcdcdc; color: #0b0c0c; }
</style>
"""


def esc(value: Any) -> str:
    """Text for HTML: escaped, with missing values shown as an em dash."""
    if value is None:
        return "—"
    try:
        import pandas as pd

        if pd.isna(value):
            return "—"
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def page(body: str) -> str:
    return f'{CSS}<div class="cpt">{body}</div>'


def notice(message: str) -> str:
    """A message box for problems the user should see (never a traceback)."""
    return page(f'<div class="notice">{esc(message)}</div>')
