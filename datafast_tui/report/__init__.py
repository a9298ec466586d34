"""`datafast-tui report`: figures printed once (terminal table, Markdown, JSON, CSV), no full screen."""
