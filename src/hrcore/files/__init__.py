"""Uploaded files: stored once, scoped to the uploader's organization, downloadable by whoever
may see the object that references them."""
