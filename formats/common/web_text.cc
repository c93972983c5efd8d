// Escaping, percent-encoding and the text check of the views' documents.
#include "common/web_text.h"

#include <cstdint>

#include "common/scan.h"

namespace tollgate::formats {

bool IsPrintableUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      if (lead < 0x20 || lead == 0x7F) return false;
      ++i;
      continue;
    }
    // The sequence's length, and the least code point that needs it (anything below is an
    // overlong form).
    size_t length = 0;
    uint32_t least = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      least = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      least = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      least = 0x10000;
    } else {
      return false;  // a continuation byte without a lead, or no UTF-8 lead byte at all
    }
    uint32_t code_point = lead & (0x7Fu >> length);  // the lead byte's payload bits
    if (text.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    const bool c1_control = code_point >= 0x80 && code_point <= 0x9F;
    if (code_point < least || code_point > 0x10FFFF || surrogate || c1_control ||
        code_point == 0xFFFE || code_point == 0xFFFF) {
      return false;
    }
    i += length;
  }
  return true;
}

void AppendUrlPath(std::string& out, std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : path) {
    if (IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
}

}  // namespace tollgate::formats
