"""The read side: a multi-page Dash app over the warehouse, in Dutch and English."""
