"""Files in and out: what cptrack reads from and writes for other systems.

* ``imports/``: census returns, Annex A lists and CSV files read, checked and written to the
  database.
* ``exports/``: the census return and Annex A lists written from the database.
* ``dataquality/``: the DfE's validation rules and cptrack's own checks on a return.
* ``ics``: the calendar of due dates (iCalendar).
* ``safe_cells``: cells for CSV and .xlsx files that never become formulas (every CSV and
  workbook cptrack writes, reports included, goes through it).
"""
