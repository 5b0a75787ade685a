#include "trialmill/fetch/curl_handles.hpp"

#include <mutex>

#include "trialmill/error.hpp"

namespace trialmill {

void curl_global_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw make_error("curl_global_init failed");
  });
}

CurlEasy::CurlEasy() {
  curl_global_once();
  handle_ = curl_easy_init();
  if (!handle_) throw make_error("curl_easy_init failed");
}

CurlEasy& CurlEasy::operator=(CurlEasy&& other) noexcept {
  if (this != &other) {
    if (handle_) curl_easy_cleanup(handle_);
    handle_ = other.handle_;
    other.handle_ = nullptr;
  }
  return *this;
}

CurlMulti::CurlMulti() {
  curl_global_once();
  handle_ = curl_multi_init();
  if (!handle_) throw make_error("curl_multi_init failed");
}

CurlSlist& CurlSlist::operator=(CurlSlist&& other) noexcept {
  if (this != &other) {
    if (list_) curl_slist_free_all(list_);
    list_ = other.list_;
    other.list_ = nullptr;
  }
  return *this;
}

void CurlSlist::append(const std::string& line) {
  curl_slist* grown = curl_slist_append(list_, line.c_str());
  if (!grown) throw make_error("curl_slist_append failed");
  list_ = grown;
}

}  // namespace trialmill
