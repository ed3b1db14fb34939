"""The staff area, one module per area. ``base`` holds the role checks every view uses."""
