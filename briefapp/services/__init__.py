"""One function per user action; the window and the command line share them."""
