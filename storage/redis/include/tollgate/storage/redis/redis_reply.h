// A Redis reply as an owning value, so it outlives hiredis's reply object.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tollgate::storage {

struct RedisReply {
  enum class Type { kString, kArray, kInteger, kNil, kStatus, kError };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<RedisReply> elements;  // kArray

  bool is_error() const { return type == Type::kError; }
};

}  // namespace tollgate::storage
