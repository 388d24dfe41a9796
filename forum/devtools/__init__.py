"""Tools for developing and measuring the forum: the benchmark, the board generator,
the demo data and the ceiling view. Production never imports this app; its one URL is
mounted only when FORUM_DEVTOOLS is on."""
