#pragma once
// A throw-away PostgreSQL cluster for tests (Debian's postgresql package): initdb into a temporary
// folder, listening only on a Unix socket in that folder, stopped and removed on destruction.
// PostgreSQL refuses to run as root, so when the tests run as root (CI) the server runs as the
// `postgres` user the package creates (runuser), in a folder handed to that user.
// Self-contained (no test framework) so that bench/bench_publish.cpp starts its server the same
// way.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace trialmill::test {

namespace fs = std::filesystem;

class PgCluster {
 public:
  // The running cluster, or nullptr (with the reason in `why_not`) when the PostgreSQL server
  // binaries are not installed. Throws when they are there but the cluster does not start.
  static std::unique_ptr<PgCluster> start(std::string& why_not);
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // A libpq URI for `database` as the superuser, through the socket.
  std::string uri(const std::string& database = "postgres") const;
  // CREATE DATABASE (a fresh, empty target per test).
  std::string create_database(const std::string& name);

 private:
  PgCluster() = default;
  int run(const std::vector<std::string>& argv, bool as_server_user) const;
  fs::path dir_;  // made by start(), removed by the destructor
  fs::path bin_;
  int port_ = 0;
  bool started_ = false;
};

// The cluster shared by the test cases of one test run (started on first use).
PgCluster* shared_pg_cluster(std::string& why_not);

}  // namespace trialmill::test
