// ArtifactFile: an open artifact descriptor with the size and time it had when opened.
#include <unistd.h>

#include "tollgate/storage/artifact_source.h"

namespace tollgate::storage {

ArtifactFile::Descriptor::~Descriptor() { ::close(fd); }

ArtifactFile::ArtifactFile(int fd, uint64_t size, absl::Time modified)
    : descriptor_(std::make_shared<const Descriptor>(fd)), size_(size), modified_(modified) {}

}  // namespace tollgate::storage
