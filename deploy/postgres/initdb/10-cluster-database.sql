-- Run by the postgres image on its first start (empty pgdata volume): the database of the
-- docker-compose cluster tier, apart from the default tier's `sidedecked`.
-- On an older volume: docker compose exec postgres createdb -U sidedecked sidedecked_cluster
CREATE DATABASE sidedecked_cluster OWNER sidedecked;
