# Finds Kainjow's header-only Mustache library (Debian: libkainjow-mustache-dev),
# which ships no CMake package of its own. Defines kainjow::mustache.
find_path(KainjowMustache_INCLUDE_DIR kainjow/mustache.hpp)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(KainjowMustache
  REQUIRED_VARS KainjowMustache_INCLUDE_DIR)
if(KainjowMustache_FOUND AND NOT TARGET kainjow::mustache)
  add_library(kainjow::mustache INTERFACE IMPORTED)
  set_target_properties(kainjow::mustache PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${KainjowMustache_INCLUDE_DIR}")
endif()
mark_as_advanced(KainjowMustache_INCLUDE_DIR)
