// simple/ lists the projects, simple/{project}/ a project's files: each link absolute, under
// the credential's own URL form, with its sha256 fragment and Requires-Python.
#include "python/python_view.h"

#include <map>
#include <vector>

#include "boost/json.hpp"
#include "common/web_text.h"
#include "python/python_format.h"
#include "tollgate/base/concat.h"
#include "tollgate/base/markup.h"
#include "tollgate/base/text.h"

namespace tollgate::formats {
namespace {

namespace json = boost::json;

constexpr std::string_view kJsonType = "application/vnd.pypi.simple.v1+json";
constexpr std::string_view kHtmlType = "application/vnd.pypi.simple.v1+html";

// The q of the media range `range` ("type;q=0.5"), 1 when it names none.
double QualityOf(std::string_view range) {
  size_t pos = range.find(";");
  while (pos != std::string_view::npos) {
    std::string_view parameter = range.substr(pos + 1);
    const size_t next = parameter.find(';');
    parameter = TrimWhitespace(parameter.substr(0, next));
    if (parameter.size() > 2 && ToLowerAscii(parameter[0]) == 'q' && parameter[1] == '=') {
      const std::string value(parameter.substr(2, 5));
      char* end = nullptr;
      const double q = std::strtod(value.c_str(), &end);
      return end == value.c_str() ? 0 : q;
    }
    pos = next == std::string_view::npos ? next : pos + 1 + next;
  }
  return 1;
}

constexpr std::string_view kJsonVariant = "json";
constexpr std::string_view kHtmlVariant = "html";

// PEP 691: JSON when the client prefers it to every HTML form it accepts.
bool WantsJson(std::string_view accept) {
  double json_q = 0;
  double html_q = 0;
  while (!accept.empty()) {
    const size_t comma = accept.find(',');
    const std::string_view range = TrimWhitespace(accept.substr(0, comma));
    accept.remove_prefix(comma == std::string_view::npos ? accept.size() : comma + 1);
    const std::string_view type = TrimWhitespace(range.substr(0, range.find(';')));
    const double q = QualityOf(range);
    if (EqualsIgnoreCase(type, kJsonType)) {
      json_q = std::max(json_q, q);
    } else if (EqualsIgnoreCase(type, kHtmlType) || EqualsIgnoreCase(type, "text/html")) {
      html_q = std::max(html_q, q);
    }
  }
  return json_q > 0 && json_q >= html_q;
}

std::string_view FileName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string FileUrl(const ViewRequest& request, const PackageFile& file) {
  std::string url(request.files_url);
  AppendUrlPath(url, file.path);
  return url;
}

std::string RequiresPython(const PackageFile& file) {
  if (file.metadata.empty()) return {};
  boost::system::error_code error;
  const json::value facts = json::parse(file.metadata, error);
  if (error || !facts.is_object()) return {};
  const json::value* value = facts.as_object().if_contains("requires_python");
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

void AppendHtmlHead(std::string& out, std::string_view title) {
  out +=
      "<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" content=\"1.0\">\n"
      "<title>";
  AppendHtmlEscaped(out, title);
  out += "</title>\n</head>\n<body>\n";
}

ViewAnswer ProjectList(const ViewRequest& request, bool as_json) {
  std::vector<std::string_view> projects;
  for (const PackageFile* file : request.files) projects.push_back(file->identity.name);
  std::sort(projects.begin(), projects.end());
  projects.erase(std::unique(projects.begin(), projects.end()), projects.end());
  if (as_json) {
    json::array list;
    for (std::string_view project : projects) list.push_back(json::object{{"name", project}});
    json::object page{{"meta", json::object{{"api-version", "1.0"}}}, {"projects", list}};
    return ViewAnswer::Document(std::string(kJsonType), json::serialize(page));
  }
  std::string html;
  AppendHtmlHead(html, "Simple index");
  for (std::string_view project : projects) {
    html += "<a href=\"";
    AppendUrlPath(html, project);
    html += "/\">";
    AppendHtmlEscaped(html, project);
    html += "</a>\n";
  }
  html += "</body>\n</html>\n";
  return ViewAnswer::Document("text/html; charset=utf-8", std::move(html));
}

ViewAnswer ProjectPage(const ViewRequest& request, std::string_view project, bool as_json) {
  std::vector<const PackageFile*> files;
  for (const PackageFile* file : request.files) {
    if (file->identity.name == project) files.push_back(file);
  }
  // pip reads a 404 as "no such project" and tries its other indexes.
  if (files.empty()) return ViewAnswer::NotFound();
  if (as_json) {
    json::array list;
    for (const PackageFile* file : files) {
      json::object entry{{"filename", FileName(file->path)},
                         {"url", FileUrl(request, *file)},
                         {"hashes", json::object{{"sha256", file->sha256}}}};
      if (std::string requires_python = RequiresPython(*file); !requires_python.empty()) {
        entry["requires-python"] = requires_python;
      }
      list.push_back(std::move(entry));
    }
    json::object page{
        {"meta", json::object{{"api-version", "1.0"}}}, {"name", project}, {"files", list}};
    return ViewAnswer::Document(std::string(kJsonType), json::serialize(page));
  }
  std::string html;
  AppendHtmlHead(html, Concat("Links for ", project));
  html += "<h1>Links for ";
  AppendHtmlEscaped(html, project);
  html += "</h1>\n";
  for (const PackageFile* file : files) {
    html += "<a href=\"";
    AppendHtmlEscaped(html, Concat(FileUrl(request, *file), "#sha256=", file->sha256));
    html += "\"";
    if (std::string requires_python = RequiresPython(*file); !requires_python.empty()) {
      html += " data-requires-python=\"";
      AppendHtmlEscaped(html, requires_python);
      html += "\"";
    }
    html += ">";
    AppendHtmlEscaped(html, FileName(file->path));
    html += "</a>\n";
  }
  html += "</body>\n</html>\n";
  return ViewAnswer::Document("text/html; charset=utf-8", std::move(html));
}

class Python final : public PackageView {
 public:
  std::string_view name() const override { return "pypi"; }
  PackageFormat format() const override { return PackageFormat::kPython; }
  bool NeedsFiles(std::string_view rest, bool) const override {
    return rest == "simple" || rest.starts_with("simple/");
  }
  std::string_view Variant(std::string_view accept) const override {
    return WantsJson(accept) ? kJsonVariant : kHtmlVariant;
  }
  absl::StatusOr<ViewAnswer> Answer(const ViewRequest& request) const override {
    std::string_view rest = request.rest;
    if (rest != "simple" && !rest.starts_with("simple/")) return ViewAnswer::NotFound();
    rest.remove_prefix(std::min<size_t>(rest.size(), 7));
    const bool as_json = request.variant == kJsonVariant;
    if (rest.empty()) {
      if (!request.is_folder) return ViewAnswer::Redirect(Concat(request.view_url, "simple/"));
      return ProjectList(request, as_json);
    }
    if (rest.find('/') != std::string_view::npos) return ViewAnswer::NotFound();
    const std::string project = NormalizePythonName(rest);
    // PEP 503: the normalised name is the page's one address.
    if (project != rest || !request.is_folder) {
      std::string url = Concat(request.view_url, "simple/");
      AppendUrlPath(url, project);
      url += '/';
      return ViewAnswer::Redirect(std::move(url));
    }
    return ProjectPage(request, project, as_json);
  }
};

}  // namespace

const PackageView& PythonView() {
  static const Python view;
  return view;
}

}  // namespace tollgate::formats
