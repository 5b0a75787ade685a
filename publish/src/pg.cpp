#include "trialmill/publish/pg.hpp"

#include <utility>

namespace trialmill {
namespace {

constexpr size_t kCopyChunk = 1 << 20;  // bytes buffered before PQputCopyData

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

PgResult checked(PgConnection& connection, PGresult* raw, const std::string& what) {
  PgResult result(raw);
  ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN)
    throw PgError(str_cat(
        "PostgreSQL: ", trimmed(raw ? PQresultErrorMessage(raw) : connection.error_message()),
        " (in: ", what.substr(0, 120), ")"));
  return result;
}

}  // namespace

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

std::optional<std::string> PgResult::value(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

PgConnection::PgConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string message = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
    PQfinish(conn_);
    conn_ = nullptr;
    throw PgConnectError(str_cat("cannot connect to PostgreSQL: ", message));
  }
  // Notices (e.g. "relation already exists, skipping") are not the user's business.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

void PgConnection::exec(const std::string& sql) {
  checked(*this, PQexec(conn_, sql.c_str()), sql);
}

PgResult PgConnection::query(const std::string& sql,
                             const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
  return checked(*this,
                 PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0),
                 sql);
}

PgCopyIn::PgCopyIn(PgConnection& connection, const std::string& copy_sql)
    : connection_(connection) {
  checked(connection_, PQexec(connection_.get(), copy_sql.c_str()), copy_sql);
  buffer_.reserve(kCopyChunk + 4096);
}

PgCopyIn::~PgCopyIn() {
  if (!open_) return;
  PQputCopyEnd(connection_.get(), "aborted by trialmill");
  while (PGresult* result = PQgetResult(connection_.get())) PQclear(result);
}

void PgCopyIn::write(std::string_view text) {
  buffer_.append(text);
  if (buffer_.size() >= kCopyChunk) flush();
}

void PgCopyIn::flush() {
  if (buffer_.empty()) return;
  if (PQputCopyData(connection_.get(), buffer_.data(), static_cast<int>(buffer_.size())) != 1)
    throw PgError(str_cat("PostgreSQL: COPY failed: ", trimmed(connection_.error_message())));
  bytes_sent_ += buffer_.size();
  buffer_.clear();
}

void PgCopyIn::finish() {
  flush();
  open_ = false;
  if (PQputCopyEnd(connection_.get(), nullptr) != 1)
    throw PgError(str_cat("PostgreSQL: COPY failed: ", trimmed(connection_.error_message())));
  std::string error;
  while (PGresult* raw = PQgetResult(connection_.get())) {
    PgResult result(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK && error.empty())
      error = trimmed(PQresultErrorMessage(raw));
  }
  if (!error.empty()) throw PgError(str_cat("PostgreSQL: COPY refused: ", error));
}

void append_copy_field(std::string& out, const std::optional<std::string>& value) {
  if (!value) {
    out += "\\N";
    return;
  }
  for (char c : *value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

std::string pg_text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const std::string& value : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string pg_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace trialmill
