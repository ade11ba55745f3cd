#!/bin/sh
# Container start: bring the database schema up to date, create the cache
# table, create the seed pages and glossary terms the database lacks (never
# changing what editors made: see content/management/commands/seed_site.py),
# store this release's public pages (migrate renders them too; a second
# container finds them there), then hand the process over to the command
# (gunicorn, or the scheduler loop).
set -eu
python manage.py migrate --noinput
python manage.py createcachetable
python manage.py seed_site
python manage.py render_pages --missing
exec "$@"
