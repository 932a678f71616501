"""Pure-Python core of Sinorus Learn: never imports Flask, Flask extensions or SQLAlchemy."""
