"""An organization's working calendar: the official schedule plus its own days."""
