"""``arms bench``: load a scratch database at scale in bulk, then time the reads that matter."""
