"""Reads for the staff pages, one module per page: ``queue``, ``search``, ``cases``, ``home``,
``restrictions``. They return model instances and plain values; ``staff.presenters`` names them."""
