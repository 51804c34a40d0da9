# `cpack -G DEB` in a build directory: a Debian package of the CLI, the runtime library and its
# headers, the CMake package, keyspace.pc, the JSON Schema and the shell completions, installed
# under /usr. Its dependencies are the Debian packages the CLI's shared libraries come from
# (dpkg-shlibdeps) and the -dev packages a consumer links the static runtime with.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME keyspace)
set(CPACK_PACKAGE_VENDOR "keyspace")
set(CPACK_PACKAGE_CONTACT "keyspace maintainers <keyspace@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libhiredis-dev, libre2-dev, libfmt-dev, nlohmann-json3-dev, pkg-config")
include(CPack)
