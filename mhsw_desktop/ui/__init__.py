"""The PySide6 desktop interface: windows, dialogs, item models and the operation runner."""
