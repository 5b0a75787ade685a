#pragma once
// RAII over libpq: one class per handle (connection, result, COPY FROM STDIN stream). Every
// failure is a PgError naming what was attempted and PostgreSQL's message.
#include <libpq-fe.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/error.hpp"

namespace trialmill {

class PgError : public Error {
 public:
  using Error::Error;
};

// The server could not be reached or refused the login: nothing was done.
class PgConnectError : public PgError {
 public:
  using PgError::PgError;
};

// A PGresult, cleared on destruction.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  ~PgResult() { PQclear(result_); }
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const { return PQntuples(result_); }
  int columns() const { return PQnfields(result_); }
  bool is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
  std::string text(int row, int column) const { return PQgetvalue(result_, row, column); }
  std::optional<std::string> value(int row, int column) const;
  std::string column_name(int column) const { return PQfname(result_, column); }
  PGresult* get() const { return result_; }

 private:
  PGresult* result_;
};

class PgConnection {
 public:
  // `conninfo`: a postgresql:// URI or key=value string. Throws PgError when it cannot connect.
  explicit PgConnection(const std::string& conninfo);
  ~PgConnection() { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one or more statements without parameters (DDL, BEGIN, COMMIT).
  void exec(const std::string& sql);
  // One statement with text parameters ($1, $2, …; nullopt is NULL).
  PgResult query(const std::string& sql,
                 const std::vector<std::optional<std::string>>& params = {});
  PGconn* get() const { return conn_; }
  std::string error_message() const { return PQerrorMessage(conn_); }

 private:
  PGconn* conn_;
};

// COPY table (columns) FROM STDIN in text format. Rows are buffered and sent in large chunks;
// finish() ends the COPY and throws if the server refused any row. Destroying an unfinished
// stream aborts the COPY (the transaction then fails, as it must).
class PgCopyIn {
 public:
  PgCopyIn(PgConnection& connection, const std::string& copy_sql);
  ~PgCopyIn();
  PgCopyIn(const PgCopyIn&) = delete;
  PgCopyIn& operator=(const PgCopyIn&) = delete;

  // Appends already-formatted COPY text (rows ending in '\n').
  void write(std::string_view text);
  void finish();
  size_t bytes_sent() const { return bytes_sent_; }

 private:
  void flush();
  PgConnection& connection_;
  std::string buffer_;
  size_t bytes_sent_ = 0;
  bool open_ = true;
};

// COPY text format: a field escaped (backslash, tab, newline, CR), NULL as \N.
void append_copy_field(std::string& out, const std::optional<std::string>& value);
// A text[] literal for a parameter: {"a","b"} with quotes and backslashes escaped.
std::string pg_text_array(const std::vector<std::string>& values);
// A SQL identifier, double-quoted.
std::string pg_ident(std::string_view name);

}  // namespace trialmill
