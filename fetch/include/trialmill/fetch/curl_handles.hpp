#pragma once
// Owning wrappers for libcurl handles, so that no early return or exception leaks one.
// Destructors never throw; libcurl's cleanup functions cannot fail.
#include <curl/curl.h>

#include <string>

namespace trialmill {

// curl_global_init once per process before any handle is made (not thread-safe in libcurl).
void curl_global_once();

class CurlEasy {
 public:
  CurlEasy();  // throws Error when libcurl cannot allocate a handle
  ~CurlEasy() {
    if (handle_) curl_easy_cleanup(handle_);
  }
  CurlEasy(CurlEasy&& other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
  CurlEasy& operator=(CurlEasy&& other) noexcept;
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;
  CURL* get() const { return handle_; }

 private:
  CURL* handle_ = nullptr;
};

class CurlMulti {
 public:
  CurlMulti();
  ~CurlMulti() {
    if (handle_) curl_multi_cleanup(handle_);
  }
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;
  CURLM* get() const { return handle_; }

 private:
  CURLM* handle_ = nullptr;
};

// A header list; curl keeps a pointer to it, so it must outlive the transfer that uses it.
class CurlSlist {
 public:
  CurlSlist() = default;
  ~CurlSlist() {
    if (list_) curl_slist_free_all(list_);
  }
  CurlSlist(CurlSlist&& other) noexcept : list_(other.list_) { other.list_ = nullptr; }
  CurlSlist& operator=(CurlSlist&& other) noexcept;
  CurlSlist(const CurlSlist&) = delete;
  CurlSlist& operator=(const CurlSlist&) = delete;
  void append(const std::string& line);  // throws Error on allocation failure
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

}  // namespace trialmill
