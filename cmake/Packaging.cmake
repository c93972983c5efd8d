# The Debian package (`make deb`): /usr/bin/tollgate, its man page and docs, the hardened
# systemd unit, /etc/tollgate/tollgate.conf as a conffile, and maintainer scripts that make the
# tollgate system user and /var/lib/tollgate. Runtime dependencies come from dpkg-shlibdeps.
include(GNUInstallDirs)

set(TOLLGATE_DEBIAN_DIR ${PROJECT_SOURCE_DIR}/deploy/debian)
set(TOLLGATE_PACKAGE_STAGING ${PROJECT_BINARY_DIR}/package-staging)

install(TARGETS tollgate RUNTIME DESTINATION bin)
install(FILES ${TOLLGATE_DEBIAN_DIR}/tollgate.conf DESTINATION /etc/tollgate)
install(FILES ${TOLLGATE_DEBIAN_DIR}/tollgate.service DESTINATION /lib/systemd/system)

# Debian wants the man page, the changelog and the copyright file in their own places, the
# first two compressed with gzip -9n (no name or time stamp, so the package is reproducible).
file(MAKE_DIRECTORY ${TOLLGATE_PACKAGE_STAGING})
# A native package (no Debian revision): its changelog is changelog.gz.
foreach(source_and_target "tollgate.1|tollgate.1.gz" "changelog|changelog.gz")
  string(REPLACE "|" ";" pair ${source_and_target})
  list(GET pair 0 source)
  list(GET pair 1 target)
  add_custom_command(
    OUTPUT ${TOLLGATE_PACKAGE_STAGING}/${target}
    COMMAND gzip -9n -c ${TOLLGATE_DEBIAN_DIR}/${source} > ${TOLLGATE_PACKAGE_STAGING}/${target}
    DEPENDS ${TOLLGATE_DEBIAN_DIR}/${source}
    VERBATIM)
  list(APPEND TOLLGATE_PACKAGE_FILES ${TOLLGATE_PACKAGE_STAGING}/${target})
endforeach()
add_custom_target(tollgate_package_files ALL DEPENDS ${TOLLGATE_PACKAGE_FILES})
install(FILES ${TOLLGATE_PACKAGE_STAGING}/tollgate.1.gz DESTINATION share/man/man1)
install(FILES ${TOLLGATE_PACKAGE_STAGING}/changelog.gz ${TOLLGATE_DEBIAN_DIR}/copyright
              ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION share/doc/tollgate)
# The README links into docs/ (the full option reference among them): the same layout.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION share/doc/tollgate/docs
        FILES_MATCHING PATTERN "*.md")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tollgate)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "download gateway enforcing entitlement tokens in front of package repositories")
# The extended description only: CPack puts the summary above it as the synopsis.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "tollgate serves a vendor's private packages to customers and their package\n\
managers (pip, npm, Maven, apt, curl) by URL tokens or HTTP basic auth, and\n\
enforces each token's date window, package scope, download count,\n\
unique-client and bandwidth limits exactly, on one host (SQLite) or across\n\
many instances sharing Redis.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "tollgate maintainers <maintainers@tollgate.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "redis-server")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${TOLLGATE_DEBIAN_DIR}/conffiles ${TOLLGATE_DEBIAN_DIR}/postinst
    ${TOLLGATE_DEBIAN_DIR}/prerm ${TOLLGATE_DEBIAN_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The binary is stripped into the package; the build tree keeps its symbols.
set(CPACK_STRIP_FILES ON)
include(CPack)
