"""Server-rendered web pages for recruiters and learners."""
