"""Admin broadcasts: when they run (WAKTU parsing), how dates read, digests, and the scheduler."""
