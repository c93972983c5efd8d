// Accept loop and blocking socket helpers of the scripted test origin.
#include "scripted_origin.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace tollgate::testing {

ScriptedOrigin::ScriptedOrigin(Script script) : script_(std::move(script)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listen_fd_ < 0 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    throw std::runtime_error("scripted origin: cannot listen");
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

ScriptedOrigin::~ScriptedOrigin() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  {
    std::lock_guard lock(mu_);
    for (const int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (std::thread& worker : workers_) worker.join();
  for (const int fd : open_fds_) ::close(fd);
  ::close(listen_fd_);
}

void ScriptedOrigin::AcceptLoop() {
  while (!stopping_) {
    pollfd ready{listen_fd_, POLLIN, 0};
    if (::poll(&ready, 1, 100) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    const int connection = accepted_++;
    std::lock_guard lock(mu_);
    open_fds_.push_back(fd);
    workers_.emplace_back([this, fd, connection] {
      script_(fd, connection);
      ::shutdown(fd, SHUT_RDWR);
    });
  }
}

std::string ScriptedOrigin::ReadRequestHeader(int fd) {
  std::string header;
  char c;
  while (!header.ends_with("\r\n\r\n")) {
    if (::read(fd, &c, 1) != 1) return "";
    header.push_back(c);
  }
  return header;
}

bool ScriptedOrigin::WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

void ScriptedOrigin::WaitForClose(int fd) {
  char discard[4096];
  while (::read(fd, discard, sizeof discard) > 0) {
  }
}

}  // namespace tollgate::testing
