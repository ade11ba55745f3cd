#!/bin/sh
# Container start: bring the database schema up to date, create the cache
# table, create the seed pages and glossary terms the database lacks (never
# changing what editors made: see content/management/commands/seed_site.py),
# then hand the process over to the command (gunicorn, or the scheduler loop).
set -eu
python manage.py migrate --noinput
python manage.py createcachetable
python manage.py seed_site
exec "$@"
