"""Disclosure control: no count of 1 to 4 is shown or derivable from what is published."""
