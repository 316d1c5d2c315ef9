# Source this to run the tests on every backend locally, as CI does (after `bash .ci/pgbouncer.sh`):
#   . .ci/env.sh && cargo test --workspace
export ORM_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/test"
export ORM_TEST_MYSQL_URL="mysql://root@127.0.0.1:3306/test"
# The replicas for tests/replicas.rs: start them with `bash .ci/replica.sh` (PostgreSQL) and
# `bash .ci/mariadb-replica.sh` (a MariaDB primary on 3307 and its replica on 3308); pgbouncer
# in transaction pooling mode with `bash .ci/pgbouncer.sh`.
export ORM_TEST_REPLICA_URL="postgres://postgres@127.0.0.1:5433/test"
export ORM_TEST_MYSQL_PRIMARY_URL="mysql://root@127.0.0.1:3307/mysql"
export ORM_TEST_MYSQL_REPLICA_URL="mysql://root@127.0.0.1:3308/mysql"
export ORM_TEST_PGBOUNCER_URL="postgres://postgres@127.0.0.1:6432/test"
export ORM_TEST_REQUIRE="sqlite,postgres,mysql,pgbouncer,replica,mysql-replica"
