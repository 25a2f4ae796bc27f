"""Import, export and merge dialogs and actions."""
