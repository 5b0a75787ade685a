#include "pg_cluster.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "trialmill/publish/pg.hpp"

extern char** environ;

namespace trialmill::test {
namespace {

// The newest installed server: /usr/lib/postgresql/<version>/bin with initdb and pg_ctl.
fs::path find_bin_dir() {
  fs::path best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path bin = entry.path() / "bin";
    if (fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl") &&
        (best.empty() || entry.path().filename().string() > best.parent_path().filename().string()))
      best = bin;
  }
  return best;
}

// A port number no one listens on over TCP; the socket file itself lives in our own folder.
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  int port = 54329;
  if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0)
    port = ntohs(address.sin_port);
  if (fd >= 0) close(fd);
  return port;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int PgCluster::run(const std::vector<std::string>& argv, bool as_server_user) const {
  std::vector<std::string> full;
  if (as_server_user && geteuid() == 0) full = {"runuser", "-u", "postgres", "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  std::vector<char*> raw;
  for (auto& arg : full) raw.push_back(arg.data());
  raw.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log = (dir_ / "commands.log").string();
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0666);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int spawned = posix_spawnp(&pid, raw[0], &actions, nullptr, raw.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::unique_ptr<PgCluster> PgCluster::start(std::string& why_not) {
  fs::path bin = find_bin_dir();
  if (bin.empty()) {
    why_not =
        "PostgreSQL server binaries not found under /usr/lib/postgresql (apt install postgresql)";
    return nullptr;
  }
  std::unique_ptr<PgCluster> cluster(new PgCluster());
  cluster->bin_ = bin;
  cluster->port_ = free_port();
  std::string pattern = (fs::temp_directory_path() / "trialmill-pg-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot make a temporary folder");
  cluster->dir_ = pattern;
  const fs::path& dir = cluster->dir_;
  if (geteuid() == 0) {
    passwd* user = getpwnam("postgres");
    if (!user) throw std::runtime_error("running as root and there is no 'postgres' user");
    if (chown(dir.c_str(), user->pw_uid, user->pw_gid) != 0)
      throw std::runtime_error("cannot hand the cluster folder to the postgres user");
  }
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  // The folder's parents must be traversable by the server user (they are under the temp dir).
  const std::string data = (dir / "data").string();
  if (cluster->run({(bin / "initdb").string(), "-D", data, "-A", "trust", "-U", "postgres", "-E",
                    "UTF8", "--locale=C", "--no-sync"},
                   true) != 0)
    throw std::runtime_error("initdb failed: " + read_file(dir / "commands.log"));
  const std::string options = "-k " + dir.string() + " -p " + std::to_string(cluster->port_) +
                              " -c listen_addresses='' -c fsync=off -c full_page_writes=off"
                              " -c synchronous_commit=off -c shared_buffers=32MB";
  if (cluster->run({(bin / "pg_ctl").string(), "-D", data, "-o", options, "-l",
                    (dir / "server.log").string(), "-w", "-t", "60", "start"},
                   true) != 0)
    throw std::runtime_error("pg_ctl start failed: " + read_file(dir / "commands.log") +
                             read_file(dir / "server.log"));
  cluster->started_ = true;
  return cluster;
}

PgCluster::~PgCluster() {
  if (started_)
    run({(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m", "immediate", "-w",
         "stop"},
        true);
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::string PgCluster::uri(const std::string& database) const {
  return "postgresql://postgres@/" + database + "?host=" + dir_.string() +
         "&port=" + std::to_string(port_);
}

std::string PgCluster::create_database(const std::string& name) {
  PgConnection pg(uri());
  pg.exec("DROP DATABASE IF EXISTS " + pg_ident(name));
  pg.exec("CREATE DATABASE " + pg_ident(name));
  return uri(name);
}

PgCluster* shared_pg_cluster(std::string& why_not) {
  static std::string reason;
  static std::unique_ptr<PgCluster> cluster = PgCluster::start(reason);
  why_not = reason;
  return cluster.get();
}

}  // namespace trialmill::test
