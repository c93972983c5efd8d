// The views tollgate generates, by the name of their URL segment, and ViewAnswer's makers.
#include "tollgate/formats/package_view.h"

#include <array>

#include "deb/deb_view.h"
#include "maven/maven_view.h"
#include "npm/npm_view.h"
#include "python/python_view.h"

namespace tollgate::formats {

ViewAnswer ViewAnswer::Document(std::string content_type, std::string body) {
  ViewAnswer answer;
  answer.kind = Kind::kDocument;
  answer.content_type = std::move(content_type);
  answer.body = std::move(body);
  return answer;
}

ViewAnswer ViewAnswer::RepositoryFile(std::string path) {
  ViewAnswer answer;
  answer.kind = Kind::kRepositoryFile;
  answer.target = std::move(path);
  return answer;
}

ViewAnswer ViewAnswer::Redirect(std::string url) {
  ViewAnswer answer;
  answer.kind = Kind::kRedirect;
  answer.target = std::move(url);
  return answer;
}

ViewAnswer ViewAnswer::NotFound() { return ViewAnswer(); }

const PackageView* FindView(std::string_view name) {
  // One line per view.
  static const std::array<const PackageView*, 4> views = {&PythonView(), &NpmView(), &MavenView(),
                                                          &DebView()};
  for (const PackageView* view : views) {
    if (view->name() == name) return view;
  }
  return nullptr;
}

}  // namespace tollgate::formats
