"""The staff area, one module per page; each view reads through ``selectors``, hands the data to
its page's presenter in ``presenters`` and renders. ``base`` holds the role checks every view uses."""
