# Source this to run the tests on all three backends locally, as CI does:
#   . .ci/env.sh && cargo test --workspace
export ORM_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/test"
export ORM_TEST_MYSQL_URL="mysql://root@127.0.0.1:3306/test"
# The streaming replica for tests/replicas.rs: start it with `bash .ci/replica.sh`.
export ORM_TEST_REPLICA_URL="postgres://postgres@127.0.0.1:5433/test"
export ORM_TEST_REQUIRE="sqlite,postgres,mysql,replica"
