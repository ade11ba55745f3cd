"""
The anonymous page cache: whole responses, kept per worker, never stale.

See `pagecache.middleware` for how a request is served and `pagecache.models`
for the site-wide content generation that tells every worker, in every
container, that what it holds is out of date.
"""
