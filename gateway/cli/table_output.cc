// Rendering JSON answers as aligned columns and field lists.
#include "cli/table_output.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "boost/json/serialize.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::cli {
namespace json = boost::json;

namespace {

constexpr std::string_view kGap = "  ";
constexpr std::string_view kKeyField = "key";

// Terminal width of UTF-8 text, counting code points (continuation bytes add nothing).
size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Sanitised(std::string_view text, bool keep_line_breaks = false) {
  std::string out(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (keep_line_breaks && c == '\n') continue;
    if (byte < 0x20 || byte == 0x7F) c = '?';
  }
  return out;
}

// The member at a dotted path ("usage.downloads"), or nullptr.
const json::value* Lookup(const json::value& item, std::string_view path) {
  const json::value* current = &item;
  for (size_t start = 0;;) {
    const size_t dot = path.find('.', start);
    const json::object* object = current->if_object();
    if (object == nullptr) return nullptr;
    current = object->if_contains(path.substr(start, dot - start));
    if (current == nullptr || dot == std::string_view::npos) return current;
    start = dot + 1;
  }
}

void AppendRow(std::string& out, const std::vector<std::string>& cells,
               const std::vector<size_t>& widths) {
  for (size_t i = 0; i < cells.size(); ++i) {
    out += cells[i];
    if (i + 1 < cells.size()) out.append(widths[i] - DisplayWidth(cells[i]) + kGap.size(), ' ');
  }
  out += '\n';
}

// Every field of the objects in `items`, in order of first appearance.
std::vector<ColumnSpec> FieldsOf(const json::array& items) {
  std::vector<ColumnSpec> columns;
  for (const json::value& item : items) {
    if (!item.is_object()) continue;
    for (const auto& member : item.as_object()) {
      const std::string_view key = member.key();
      if (std::none_of(columns.begin(), columns.end(),
                       [&](const ColumnSpec& column) { return column.field == key; })) {
        columns.push_back({key, key});
      }
    }
  }
  return columns;
}

std::string Header(std::string_view name) {
  std::string out;
  for (const char c : name)
    out += c == '_' ? ' ' : absl::ascii_toupper(static_cast<unsigned char>(c));
  return out;
}

std::string RenderArray(const json::array& items, std::vector<ColumnSpec> columns) {
  if (items.empty()) return "(none)\n";
  if (columns.empty()) columns = FieldsOf(items);
  std::erase_if(columns, [&](const ColumnSpec& column) {
    return std::none_of(items.begin(), items.end(), [&](const json::value& item) {
      return Lookup(item, column.field) != nullptr;
    });
  });
  if (columns.empty()) {  // items that are not objects
    std::string out;
    for (const json::value& item : items) AppendTo(out, Sanitised(CellText(item)), "\n");
    return out;
  }
  std::vector<std::vector<std::string>> rows(1);
  std::vector<size_t> widths;
  for (const ColumnSpec& column : columns) {
    rows[0].push_back(Header(column.header));
    widths.push_back(DisplayWidth(rows[0].back()));
  }
  for (const json::value& item : items) {
    std::vector<std::string>& row = rows.emplace_back();
    for (size_t i = 0; i < columns.size(); ++i) {
      const json::value* value = Lookup(item, columns[i].field);
      row.push_back(Sanitised(value != nullptr ? CellText(*value) : "-"));
      widths[i] = std::max(widths[i], DisplayWidth(row.back()));
    }
  }
  std::string out;
  for (const auto& row : rows) AppendRow(out, row, widths);
  return out;
}

bool IsArrayOfObjects(const json::value& value) {
  const json::array* array = value.if_array();
  return array != nullptr && !array->empty() &&
         std::all_of(array->begin(), array->end(),
                     [](const json::value& item) { return item.is_object(); });
}

std::string RenderObject(const json::object& object) {
  std::vector<std::vector<std::string>> lines;
  std::vector<size_t> widths(2, 0);
  std::string tables;
  std::string blocks;
  for (const auto& member : object) {
    if (member.key() == kKeyField) continue;
    if (IsArrayOfObjects(member.value())) {
      AppendTo(tables, "\n", Header(member.key()), ":\n",
               RenderArray(member.value().as_array(), {}));
      continue;
    }
    // Text of several lines (a PGP key block) stays usable as it is, copied from the screen.
    if (const json::string* text = member.value().if_string();
        text != nullptr && text->find('\n') != json::string::npos) {
      AppendTo(blocks, "\n", Sanitised(member.key()), ":\n", Sanitised(*text, true),
               text->ends_with('\n') ? "" : "\n");
      continue;
    }
    lines.push_back({Sanitised(member.key()), Sanitised(CellText(member.value()))});
    widths[0] = std::max(widths[0], DisplayWidth(lines.back()[0]));
  }
  std::string out;
  for (const auto& line : lines) AppendRow(out, line, widths);
  out += tables;
  out += blocks;
  if (const json::value* key = object.if_contains(kKeyField); key != nullptr && key->is_string()) {
    AppendTo(out, "\nAPI key (shown only this once; store it now, it cannot be shown again):\n",
             Sanitised(key->as_string()), "\n");
  }
  return out;
}

}  // namespace

std::string CellText(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "-";
    case json::kind::string:
      return std::string(value.as_string());
    case json::kind::array: {
      if (value.as_array().empty()) return "-";
      std::string out;
      for (const json::value& item : value.as_array()) {
        AppendTo(out, out.empty() ? "" : ", ", CellText(item));
      }
      return out;
    }
    case json::kind::object: {
      std::string out;
      for (const auto& member : value.as_object()) {
        AppendTo(out, out.empty() ? "" : " ", std::string_view(member.key()), "=",
                 CellText(member.value()));
      }
      return out;
    }
    default:
      return json::serialize(value);
  }
}

std::string RenderTable(const json::value& answer, const std::vector<ColumnSpec>& columns) {
  if (const json::array* items = answer.if_array()) return RenderArray(*items, columns);
  if (const json::object* object = answer.if_object()) return RenderObject(*object);
  return Concat(Sanitised(json::serialize(answer)), "\n");
}

}  // namespace tollgate::gateway::cli
