"""The managers' Admin Center, one module per area: core (dashboard, channel, managers)."""
