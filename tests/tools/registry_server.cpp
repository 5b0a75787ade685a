// trialmill-registry-server DIR [PORT]: serves the offline registry (fixtures/registry) on
// 127.0.0.1 at PORT (a free port when it is taken or not given), the way the live sites answer: API
// pages by pageToken, one study by NCT ID, the studies of filter.ids=ID,ID,… (the removal sweep),
// listing pages by ?page=N (DIR/x/listing-page-N.html), ETags with 304 on If-None-Match. Prints its
// base URL on the first line of stdout, then serves until stdin closes or it is signalled. `make
// run` uses it so that fetching is real HTTP.
#include <httplib.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include <map>

#include "trialmill/io.hpp"
#include "trialmill/json.hpp"

namespace fs = std::filesystem;

namespace {

httplib::Server* g_server = nullptr;

void stop(int) {
  if (g_server) g_server->stop();
}

// The file a request path stands for, or empty when there is none.
fs::path file_for(const fs::path& root, const httplib::Request& req) {
  std::string rel = req.path.substr(1);
  if (req.path.ends_with(".html") && req.has_param("page")) {
    std::string page = req.get_param_value("page");
    if (page.empty() || !std::all_of(page.begin(), page.end(), ::isdigit)) return {};
    rel = rel.substr(0, rel.size() - 5) + "-page-" + page + ".html";
  } else if (req.path == "/api/v2/studies") {
    std::string token = req.has_param("pageToken") ? req.get_param_value("pageToken") : "1";
    if (token.empty() || !std::all_of(token.begin(), token.end(), ::isdigit)) return {};
    rel = "api/v2/studies/page-" + token + ".json";
  } else if (req.path.rfind("/api/v2/studies/", 0) == 0) {
    rel += ".json";
  }
  fs::path file = root / rel;
  if (rel.find("..") != std::string::npos || !fs::is_regular_file(file)) return {};
  return file;
}

// Every study the registry holds (API pages and single-study files), by NCT ID, as JSON text.
std::map<std::string, std::string> all_studies(const fs::path& root) {
  std::map<std::string, std::string> studies;
  auto add = [&](const trialmill::JsonValue& study) {
    const trialmill::JsonValue* protocol = trialmill::find_member(study, "protocolSection");
    const trialmill::JsonValue* ident =
        protocol ? trialmill::find_member(*protocol, "identificationModule") : nullptr;
    if (auto id = ident ? trialmill::get_string(*ident, "nctId") : std::nullopt)
      studies[*id] = trialmill::to_json(study);
  };
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root / "api/v2/studies", ec)) {
    auto doc = trialmill::parse_json(trialmill::read_file(entry.path().string()), "study");
    if (const trialmill::JsonValue* list = trialmill::find_member(doc, "studies");
        list && list->IsArray()) {
      for (const auto& study : list->GetArray()) add(study);
    } else if (doc.IsObject()) {
      add(doc);
    }
  }
  return studies;
}

// /api/v2/studies?filter.ids=A,B: the studies the registry has among them, in one page.
std::string studies_by_ids(const fs::path& root, const std::string& ids) {
  auto studies = all_studies(root);
  std::string body = "{\"studies\":[";
  bool first = true;
  size_t start = 0;
  while (start <= ids.size()) {
    size_t comma = ids.find_first_of(",|", start);
    std::string id =
        ids.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (auto it = studies.find(id); it != studies.end()) {
      body += (first ? "" : ",") + it->second;
      first = false;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return body + "]}";
}

}  // namespace

int main(int argc, char** argv) {
  bool help = argc == 2 && std::string(argv[1]) == "--help";
  if (argc < 2 || argc > 3 || help) {
    std::fputs("Usage: trialmill-registry-server DIR [PORT]\n"
               "Serves DIR on 127.0.0.1 at PORT (a free port when PORT is taken or not given);\n"
               "prints the base URL, serves until stdin closes or SIGTERM.\n"
               "Exit status: 0 stopped, 2 usage or bind error.\n",
               help ? stdout : stderr);
    return help ? 0 : 2;
  }
  fs::path root = argv[1];
  httplib::Server server;
  server.Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
    std::string body;
    fs::path file;
    if (req.path == "/api/v2/studies" && req.has_param("filter.ids")) {
      body = studies_by_ids(root, req.get_param_value("filter.ids"));
      file = "studies.json";
    } else {
      file = file_for(root, req);
      if (file.empty()) {
        res.status = 404;
        return;
      }
      body = trialmill::read_file(file.string());
    }
    std::string etag = "\"" + trialmill::sha256_hex(body).substr(0, 16) + "\"";
    res.set_header("ETag", etag);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    res.set_content(body, file.extension() == ".json" ? "application/json" : "text/plain");
  });
  // A stable port keeps the registry's URLs, and so the archive's conditional requests, the same
  // from one run to the next.
  int port = argc == 3 && server.bind_to_port("127.0.0.1", std::atoi(argv[2])) ? std::atoi(argv[2])
                                                                              : server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::fputs("trialmill-registry-server: cannot bind 127.0.0.1\n", stderr);
    return 2;
  }
  g_server = &server;
  std::signal(SIGTERM, stop);
  std::signal(SIGINT, stop);
  std::printf("http://127.0.0.1:%d\n", port);
  std::fflush(stdout);
  std::thread watcher([&] {
    std::string ignored;
    while (std::getline(std::cin, ignored)) {
    }
    server.stop();
  });
  watcher.detach();
  server.listen_after_bind();
  return 0;
}
