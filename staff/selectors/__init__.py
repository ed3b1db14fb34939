"""Reads for the staff pages, one module per page: ``queue``, ``search``, ``cases``, ``home``."""
