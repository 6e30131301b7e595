"""Past one machine: a Redline cluster coordinated by PostgreSQL and procrastinate.

Each site's registered domain hashes to one of a fixed number of shards (`shards`); a shard is one
SQLite file with the single-machine schema, crawled by one process at a time. Postgres holds the
cluster's configuration, the shard table and the sources (`coordination`); procrastinate queues a
check or discovery round per shard with a lock per shard (`tasks`), run by `redline worker` on
every node (`worker`), which takes several at once into one crawl (`crawls`). A rollup database
gathers recent edits across shards for Datasette (`rollup`); `redline cluster status` reads it
all back (`status`); `commands` is the click layer.

Nothing here is imported by the single-machine path: `redline daemon` and `make demo` never load
procrastinate or psycopg.
"""
