# Source this to run the tests on every backend locally, as CI does (after `bash .ci/pgbouncer.sh`):
#   . .ci/env.sh && cargo test --workspace
export ORM_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/test"
export ORM_TEST_MYSQL_URL="mysql://root@127.0.0.1:3306/test"
export ORM_TEST_PGBOUNCER_URL="postgres://postgres@127.0.0.1:6432/test"
export ORM_TEST_REQUIRE="sqlite,postgres,mysql,pgbouncer"
