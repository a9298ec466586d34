"""Every modal dialog of the app, each a `Dialog` (base.py): help, range, filter, export, site,
visitor lookup, the write forms and their confirmation. They return values (ModalScreen[T])
and never touch the store: a screen hands them what they need (a sender for a write)."""
