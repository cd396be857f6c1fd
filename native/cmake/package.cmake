# The CMake package that `cmake --install` writes: find_package(Mada) gives Mada::mada (libmada,
# which brings libtorch through find_dependency(Torch)) and Mada::mada_kernels (no libtorch).
include(CMakePackageConfigHelpers)

set(MADA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Mada)
install(EXPORT MadaTargets NAMESPACE Mada:: DESTINATION ${MADA_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/MadaConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/MadaConfig.cmake INSTALL_DESTINATION ${MADA_CMAKE_DIR})
# Before 1.0 a new minor version may break the API (SemVer), so only the same MAJOR.MINOR matches.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/MadaConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/MadaConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/MadaConfigVersion.cmake
  DESTINATION ${MADA_CMAKE_DIR})
