"""The Textual screens. Thin: they show data from the store and forward what the person asks for.

Every piece of user (or catalogue) text is rendered through :mod:`tracker.screens.literal`, so
markup-like text such as ``[bold]`` or ``[@click=app.quit]`` is shown as typed and does nothing.
"""
