"""Pages of the buurtkaart app (one small module per page); see app.py for the navigation."""
