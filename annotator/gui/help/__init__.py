"""The Help menu: the offline user guide and the keyboard-shortcut reference."""
