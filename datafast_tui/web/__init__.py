"""`datafast-tui web`: the app in a browser tab (command.py: the flags; server.py: the HTTP side)."""
