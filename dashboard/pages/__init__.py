"""The pages of the dashboard; Dash imports each module and registers it."""
